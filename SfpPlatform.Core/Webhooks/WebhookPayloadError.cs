namespace SfpPlatform.Core.Webhooks;

/// <summary>Why a delivery body is not a payload the platform can read (after authentication, each is a 400 but <see cref="TooDeep"/>).</summary>
public enum WebhookPayloadError
{
    None,

    /// <summary>The body is not valid UTF-8.</summary>
    NotUtf8,

    /// <summary>The body is JSON, but not an object (an array, null, a string, ...).</summary>
    NotAnObject,

    /// <summary>
    /// The body is not valid JSON, or has more after its object (<see cref="WebhookPayload.Line"/> and
    /// <see cref="WebhookPayload.BytePosition"/> say where).
    /// </summary>
    Malformed,

    /// <summary>
    /// A valid JSON object nested deeper than <see cref="WebhookPayload.MaxDepth"/>: authentic, so stored, but read
    /// only for its top-level strings (<see cref="WebhookPayload.TopLevelString"/>), and not routed.
    /// </summary>
    TooDeep,
}
