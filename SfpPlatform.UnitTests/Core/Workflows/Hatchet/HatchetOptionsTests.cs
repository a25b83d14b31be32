using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Workflows.Hatchet;

/// <summary>Hatchet's settings checked as Hatchet will judge them, every error at once (no stack needed).</summary>
public sealed class HatchetOptionsTests
{
    private static readonly string Token = HatchetGrammar.CreateToken(Guid.NewGuid().ToString(), 7077);

    private static IReadOnlyList<string> Failures(HatchetOptions options) =>
        new HatchetOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_ATokenAndTheDefaults_Passes() =>
        Assert.Empty(Failures(new HatchetOptions { Token = Token }));

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryError()
    {
        var failures = Failures(new HatchetOptions
        {
            Token = "not-a-jwt",
            TlsStrategy = "TLS",
            WorkerName = "build host:1",
            Slots = 0,
            HeartbeatInterval = TimeSpan.Zero,
            TaskLease = TimeSpan.FromSeconds(-1),
        });

        Assert.Collection(failures,
            f => Assert.StartsWith("Hatchet:Token is not a Hatchet API token", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Hatchet:TlsStrategy is 'TLS'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Hatchet:WorkerName 'build host:1'", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Hatchet:Slots is 0", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Hatchet:HeartbeatInterval", f, StringComparison.Ordinal),
            f => Assert.StartsWith("Hatchet:TaskLease", f, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tls", true)]
    [InlineData("none", true)]
    [InlineData("TLS", false)]
    [InlineData("insecure", false)]
    [InlineData("", false)]
    public void Validate_TlsStrategy_IsExactlyTlsOrNone(string strategy, bool valid) =>
        Assert.Equal(valid, Failures(new HatchetOptions { Token = Token, TlsStrategy = strategy }).Count == 0);

    [Fact]
    public void Validate_ATokenWithoutAGrpcAddress_AsksForOne()
    {
        static string Encode(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = $"{Encode("""{"alg":"ES256"}""")}.{Encode("""{"sub":"tenant"}""")}.{Encode("signature")}";

        Assert.StartsWith("Hatchet:GrpcAddress is not set", Assert.Single(Failures(new HatchetOptions { Token = token })), StringComparison.Ordinal);
        Assert.Empty(Failures(new HatchetOptions { Token = token, GrpcAddress = "hatchet:7077" }));
    }

    [Theory]
    [InlineData("build-host", 42, "build-host-42")]
    [InlineData("build host:a", 7, "build-host-a-7")]
    [InlineData("wörker.local", 1, "w-rker.local-1")]
    public void DefaultWorkerName_IsOneHatchetAccepts(string host, int processId, string expected)
    {
        var name = HatchetOptions.DefaultWorkerName(host, processId);

        Assert.Equal(expected, name);
        Assert.Matches(HatchetGrammar.NamePattern, name);
        Assert.Empty(Failures(new HatchetOptions { Token = Token, WorkerName = name }));
    }

    [Theory]
    [InlineData(1000, "1000ms")]
    [InlineData(999.2, "1000ms")]
    [InlineData(0, "1ms")]
    public void Milliseconds_IsADurationHatchetAccepts(double milliseconds, string expected)
    {
        var duration = HatchetOptions.Milliseconds(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, duration);
        Assert.NotNull(HatchetGrammar.ParseDuration(duration));
    }

    [Theory]
    [InlineData("90s", 90_000.0)]
    [InlineData("1h30m", 5_400_000.0)]
    [InlineData("1.5h", 5_400_000.0)]
    [InlineData("250ms", 250.0)]
    [InlineData("90", null)]
    [InlineData("1 m", null)]
    [InlineData("-5s", null)]
    public void StandInDurations_FollowHatchetsGrammar(string text, double? milliseconds) =>
        Assert.Equal(milliseconds, HatchetGrammar.ParseDuration(text)?.TotalMilliseconds);
}
