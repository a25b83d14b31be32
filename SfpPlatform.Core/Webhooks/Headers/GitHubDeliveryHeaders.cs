using System.Globalization;
using Microsoft.Extensions.Primitives;
using SfpPlatform.Core.Webhooks.Authentication;

namespace SfpPlatform.Core.Webhooks.Headers;

/// <summary>
/// The headers of a GitHub delivery, read once (<see cref="Parse"/>): what names the event and the delivery, which
/// hook sent it, and its signature. <see cref="Error"/> names the first required header that is missing or malformed.
/// </summary>
public sealed record GitHubDeliveryHeaders
{
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string HookIdHeader = "X-GitHub-Hook-ID";
    public const string TargetTypeHeader = "X-GitHub-Hook-Installation-Target-Type";
    public const string TargetIdHeader = "X-GitHub-Hook-Installation-Target-ID";
    public const string SignatureHeader = "X-Hub-Signature-256";

    private const int MaxEventLength = 100;
    private const int MaxDeliveryIdLength = 200;

    /// <summary><c>X-GitHub-Event</c>: the event name (<c>pull_request</c>, <c>push</c>, ...).</summary>
    public required string Event { get; init; }

    /// <summary><c>X-GitHub-Delivery</c>: unique per delivery, kept by GitHub on redelivery.</summary>
    public required string DeliveryId { get; init; }

    public string? HookId { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    /// <summary>
    /// The hook target the installation-target headers name; null when they are absent (see
    /// <see cref="NamesTarget"/>) or the id is not a number.
    /// </summary>
    public GitHubHookTarget? Target { get; init; }

    /// <summary>Both installation-target headers are present. When they are not, the payload names the target.</summary>
    public bool NamesTarget { get; init; }

    /// <summary><c>X-Hub-Signature-256</c> as sent; checked by <see cref="GitHubSignature"/>.</summary>
    public string? Signature { get; init; }

    public string? UserAgent { get; init; }

    public string? ContentType { get; init; }

    /// <summary>The first required header that is missing or malformed; null when the delivery can be processed.</summary>
    public DeliveryHeaderError? Error { get; init; }

    public static GitHubDeliveryHeaders Parse(IDictionary<string, StringValues> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var eventName = DeliveryHeaderValues.Read(headers, EventHeader) ?? "";
        var deliveryId = DeliveryHeaderValues.Read(headers, DeliveryHeader) ?? "";
        var targetType = DeliveryHeaderValues.Read(headers, TargetTypeHeader);
        var targetId = DeliveryHeaderValues.Read(headers, TargetIdHeader);
        var namesTarget = targetType is { Length: > 0 } && targetId is { Length: > 0 };
        return new GitHubDeliveryHeaders
        {
            Event = eventName,
            DeliveryId = deliveryId,
            HookId = DeliveryHeaderValues.Read(headers, HookIdHeader),
            TargetType = targetType,
            TargetId = targetId,
            NamesTarget = namesTarget,
            Target = namesTarget && long.TryParse(targetId, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? new GitHubHookTarget(targetType!, targetId!)
                : null,
            Signature = DeliveryHeaderValues.Read(headers, SignatureHeader),
            UserAgent = DeliveryHeaderValues.Read(headers, "User-Agent"),
            ContentType = DeliveryHeaderValues.Read(headers, "Content-Type"),
            Error = Validate(eventName, deliveryId),
        };
    }

    /// <summary>The provider headers kept with the stored delivery (never <c>Authorization</c>), in a fixed order.</summary>
    public Dictionary<string, string> ToStoredHeaders()
    {
        var kept = new Dictionary<string, string>(8, StringComparer.OrdinalIgnoreCase);
        DeliveryHeaderValues.Keep(kept, EventHeader, Event);
        DeliveryHeaderValues.Keep(kept, DeliveryHeader, DeliveryId);
        DeliveryHeaderValues.Keep(kept, HookIdHeader, HookId);
        DeliveryHeaderValues.Keep(kept, TargetTypeHeader, TargetType);
        DeliveryHeaderValues.Keep(kept, TargetIdHeader, TargetId);
        DeliveryHeaderValues.Keep(kept, SignatureHeader, Signature);
        DeliveryHeaderValues.Keep(kept, "User-Agent", UserAgent);
        DeliveryHeaderValues.Keep(kept, "Content-Type", ContentType);
        return kept;
    }

    private static DeliveryHeaderError? Validate(string eventName, string deliveryId)
    {
        if (eventName.Length == 0)
        {
            return new DeliveryHeaderError(EventHeader, Missing: true, $"1 to {MaxEventLength} {WebhookNames.Allowed}");
        }

        if (deliveryId.Length == 0)
        {
            return new DeliveryHeaderError(DeliveryHeader, Missing: true, $"1 to {MaxDeliveryIdLength} {WebhookNames.Allowed}");
        }

        if (!WebhookNames.IsName(eventName, MaxEventLength))
        {
            return new DeliveryHeaderError(EventHeader, Missing: false, $"1 to {MaxEventLength} {WebhookNames.Allowed}");
        }

        return WebhookNames.IsName(deliveryId, MaxDeliveryIdLength)
            ? null
            : new DeliveryHeaderError(DeliveryHeader, Missing: false, $"1 to {MaxDeliveryIdLength} {WebhookNames.Allowed}");
    }
}
