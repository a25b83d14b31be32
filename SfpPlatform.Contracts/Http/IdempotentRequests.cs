namespace SfpPlatform.Contracts.Http;

/// <summary>
/// Which outbound requests a resilience pipeline may send again: the safe methods (GET, HEAD, OPTIONS, TRACE), and an
/// unsafe one only when its caller marked it idempotent by construction (a PUT of a whole resource, a comment updated
/// through a marker it carries). A timed-out POST may have been applied: sent again blindly, it posts a comment twice.
/// The standard pipeline (ServiceDefaults) and the providers' own both ask <see cref="MayRetry"/>.
/// </summary>
public static class IdempotentRequests
{
    /// <summary>The request option a caller sets on a request that is idempotent by construction.</summary>
    public static readonly HttpRequestOptionsKey<bool> Key = new("SfpPlatform.Idempotent");

    /// <summary>Marks <paramref name="request"/> as safe to send again.</summary>
    public static HttpRequestMessage MarkIdempotent(this HttpRequestMessage request)
    {
        request.Options.Set(Key, true);
        return request;
    }

    /// <summary>True for a safe method, or a request marked idempotent; false for an unmarked unsafe one or none.</summary>
    public static bool MayRetry(HttpRequestMessage? request) =>
        request is not null
        && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options
            || request.Method == HttpMethod.Trace || (request.Options.TryGetValue(Key, out var idempotent) && idempotent));
}
