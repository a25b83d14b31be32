namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>What GitHub said to a request for a redelivery.</summary>
public enum RedeliveryAnswer
{
    /// <summary>202: GitHub will send it again (with the original <c>X-GitHub-Delivery</c>).</summary>
    Accepted,

    /// <summary>422 (or 400): GitHub will not, e.g. the delivery is older than its 3-day window.</summary>
    Refused,

    /// <summary>Anything else (GitHub unavailable, the token refused): asked again next pass.</summary>
    Failed,
}
