using System.Security.Authentication;
using Grpc.Core;
using Polly;
using Polly.Retry;
using SfpPlatform.Core.Workflows.Hatchet;

namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>
/// How the worker and the relay wait out what Hatchet refuses: Polly retries with exponential backoff and jitter from
/// <see cref="HatchetOptions.InitialBackoff"/> up to <see cref="HatchetOptions.MaxBackoff"/>, each retry logged with a
/// reason an operator can act on.
/// </summary>
internal static class HatchetRetries
{
    /// <summary>A pipeline that retries the failures <paramref name="handle"/> accepts, <paramref name="retries"/> times (default: until it works or the host stops).</summary>
    public static ResiliencePipeline Create(
        HatchetOptions options, Func<Exception, bool> handle, Action<Exception, TimeSpan> retrying, int retries = int.MaxValue) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle(handle),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.InitialBackoff,
            MaxDelay = options.MaxBackoff,
            MaxRetryAttempts = retries,
            OnRetry = args =>
            {
                retrying(args.Outcome.Exception!, args.RetryDelay);
                return default;
            },
        }).Build();

    /// <summary>Why a call failed, with what to check when the cause is a setting: the token, or TLS against a plain-text server (and back).</summary>
    public static string Describe(Exception exception, HatchetOptions options, string address)
    {
        if (exception is not RpcException e)
        {
            return exception.Message;
        }

        var reason = $"{e.StatusCode}: {e.Status.Detail}";
        return e.StatusCode switch
        {
            StatusCode.Unauthenticated =>
                $"{reason} — Hatchet does not accept Hatchet:Token (a token of another Hatchet, or one invalidated when Hatchet's SERVER_URL or its /config changed)",
            _ when options.TlsStrategy == HatchetOptions.Tls && IsTlsFailure(e.Status.DebugException) =>
                $"{reason} — the TLS handshake with {address} failed: Hatchet:TlsStrategy is '{HatchetOptions.Tls}', but that server may speak "
                + $"plain-text gRPC (hatchet-lite with SERVER_GRPC_INSECURE=t needs Hatchet:TlsStrategy={HatchetOptions.NoTls})",
            _ when options.TlsStrategy == HatchetOptions.NoTls && IsProtocolFailure(e.Status.DebugException) =>
                $"{reason} — {address} did not answer plain-text HTTP/2: Hatchet:TlsStrategy is '{HatchetOptions.NoTls}', but that server may expect TLS "
                + $"(Hatchet:TlsStrategy={HatchetOptions.Tls})",
            _ => reason,
        };
    }

    private static bool IsTlsFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException or HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProtocolFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.HttpProtocolError or HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse })
            {
                return true;
            }
        }

        return false;
    }
}
