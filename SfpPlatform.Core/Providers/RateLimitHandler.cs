using System.Globalization;
using System.Net;

namespace SfpPlatform.Core.Providers;

/// <summary>
/// Honours provider rate limits: on 429, or 403 with a rate-limit signal (GitHub's primary and secondary limits),
/// waits as told — <c>Retry-After</c> seconds, else until <c>X-RateLimit-Reset</c> — and sends again, a bounded
/// number of times and never longer than <see cref="MaxWait"/> at once. Other answers pass through.
/// </summary>
public sealed class RateLimitHandler(TimeProvider time) : DelegatingHandler
{
    public const int MaxAttempts = 3;

    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(2);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (attempt >= MaxAttempts || WaitFor(response) is not { } wait || wait > MaxWait || !CanResend(request))
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>How long the provider asked to wait, or null when the answer is not a rate limit.</summary>
    internal TimeSpan? WaitFor(HttpResponseMessage response)
    {
        var limited = response.StatusCode == HttpStatusCode.TooManyRequests
            || (response.StatusCode == HttpStatusCode.Forbidden
                && (response.Headers.RetryAfter is not null || Header(response, "X-RateLimit-Remaining") == "0"));
        if (!limited)
        {
            return null;
        }

        if (response.Headers.RetryAfter is { } retryAfter)
        {
            return retryAfter.Delta ?? (retryAfter.Date is { } date ? Max(date - time.GetUtcNow()) : TimeSpan.Zero);
        }

        if (long.TryParse(Header(response, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            return Max(DateTimeOffset.FromUnixTimeSeconds(reset) - time.GetUtcNow() + TimeSpan.FromSeconds(1));
        }

        // A secondary limit without advice: GitHub asks for at least a minute.
        return TimeSpan.FromMinutes(1);
    }

    private static TimeSpan Max(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Bodies that are streams cannot be sent twice; everything Octokit and our clients send can.</summary>
    private static bool CanResend(HttpRequestMessage request) => request.Content is null or not StreamContent;
}
