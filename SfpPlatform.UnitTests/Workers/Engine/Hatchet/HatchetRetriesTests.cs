using Grpc.Core;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Workers.Engine.Hatchet;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Workers.Engine.Hatchet;

/// <summary>What the Hatchet worker says when a call fails for a reason a setting explains (no stack needed).</summary>
public sealed class HatchetRetriesTests
{
    private static RpcException Failure(StatusCode code, Exception? debug = null) => new(new Status(code, "Error starting gRPC call.", debug));

    [Fact]
    public void Describe_PlainTextClientAgainstATlsServer_SaysToSetTlsStrategyTls()
    {
        // What the .NET client reports when a TLS server does not answer the HTTP/2 preface.
        var failure = Failure(StatusCode.Unavailable, new HttpRequestException(HttpRequestError.InvalidResponse, "the server did not complete the HTTP/2 handshake"));

        var described = HatchetRetries.Describe(failure, new HatchetOptions { TlsStrategy = HatchetOptions.NoTls }, "hatchet:7077");

        Assert.Contains("Hatchet:TlsStrategy=tls", described, StringComparison.Ordinal);
        Assert.Contains("hatchet:7077", described, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_TheSameFailureWithTls_AddsNoTlsHint() =>
        Assert.DoesNotContain("TlsStrategy", HatchetRetries.Describe(
            Failure(StatusCode.Unavailable, new HttpRequestException(HttpRequestError.InvalidResponse, "bad")), new HatchetOptions(), "hatchet:7077"), StringComparison.Ordinal);

    [Fact]
    public void Describe_Unauthenticated_NamesTheToken() =>
        Assert.Contains("Hatchet:Token", HatchetRetries.Describe(Failure(StatusCode.Unauthenticated), new HatchetOptions(), "hatchet:7077"), StringComparison.Ordinal);

    [Fact]
    public void Describe_AnOutage_IsJustTheStatus() =>
        Assert.Equal("Unavailable: Error starting gRPC call.", HatchetRetries.Describe(Failure(StatusCode.Unavailable), new HatchetOptions(), "hatchet:7077"));
}
