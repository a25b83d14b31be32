namespace SfpPlatform.Core.Webhooks;

/// <summary>Why a delivery body is not a payload the platform can read (after authentication, each is a 400).</summary>
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
}
