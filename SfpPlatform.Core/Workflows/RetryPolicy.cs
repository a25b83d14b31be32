using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// Attempts (the first included) and exponential backoff with jitter between them. Exceptions of the
/// <see cref="NonRetryable"/> types, <see cref="NonRetryableStepException"/> and permanent provider failures (a
/// missing credential, 401, 403, 404) fail the run at once.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff, double Jitter = 0.2)
{
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));

    public static readonly RetryPolicy None = new(1, TimeSpan.Zero, TimeSpan.Zero, 0);

    public IReadOnlyList<Type> NonRetryable { get; init; } = [];

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2, 3, ...): initial × 2^(n-2), capped, ± jitter.</summary>
    public TimeSpan BackoffBefore(int nextAttempt, Random random)
    {
        var exponential = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        var jittered = capped * (1 + (Jitter * ((random.NextDouble() * 2) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }

    /// <summary>False for <see cref="NonRetryableStepException"/>, the <see cref="NonRetryable"/> types, and
    /// provider failures no retry mends (<see cref="Providers.ProviderErrors.IsPermanent"/>).</summary>
    public bool IsRetryable(Exception exception) =>
        exception is not NonRetryableStepException && !Providers.ProviderErrors.IsPermanent(exception)
        && !NonRetryable.Any(t => t.IsInstanceOfType(exception));
}
