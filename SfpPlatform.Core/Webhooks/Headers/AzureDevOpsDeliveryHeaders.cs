using Microsoft.Extensions.Primitives;

namespace SfpPlatform.Core.Webhooks.Headers;

/// <summary>
/// The headers of an Azure DevOps service-hook delivery, read once (<see cref="Parse"/>). Service hooks carry no
/// signature and their delivery id is in the payload; what authenticates them is the subscription's basic auth.
/// </summary>
public sealed record AzureDevOpsDeliveryHeaders
{
    public const string ActivityIdHeader = "X-VSS-ActivityId";
    public const string SubscriptionIdHeader = "X-VSS-SubscriptionId";

    /// <summary><c>Authorization</c> as sent (checked by the authenticator; never stored or logged).</summary>
    public string? Authorization { get; init; }

    /// <summary><c>X-VSS-ActivityId</c>: Azure DevOps' trace id of the notification (what the logs name).</summary>
    public string? ActivityId { get; init; }

    public string? SubscriptionId { get; init; }

    public string? UserAgent { get; init; }

    public string? ContentType { get; init; }

    public static AzureDevOpsDeliveryHeaders Parse(IDictionary<string, StringValues> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return new AzureDevOpsDeliveryHeaders
        {
            Authorization = DeliveryHeaderValues.Read(headers, "Authorization"),
            ActivityId = DeliveryHeaderValues.Read(headers, ActivityIdHeader),
            SubscriptionId = DeliveryHeaderValues.Read(headers, SubscriptionIdHeader),
            UserAgent = DeliveryHeaderValues.Read(headers, "User-Agent"),
            ContentType = DeliveryHeaderValues.Read(headers, "Content-Type"),
        };
    }

    /// <summary>The provider headers kept with the stored delivery: never <c>Authorization</c>.</summary>
    public Dictionary<string, string> ToStoredHeaders()
    {
        var kept = new Dictionary<string, string>(4, StringComparer.OrdinalIgnoreCase);
        DeliveryHeaderValues.Keep(kept, ActivityIdHeader, ActivityId);
        DeliveryHeaderValues.Keep(kept, SubscriptionIdHeader, SubscriptionId);
        DeliveryHeaderValues.Keep(kept, "User-Agent", UserAgent);
        DeliveryHeaderValues.Keep(kept, "Content-Type", ContentType);
        return kept;
    }

    /// <summary>A record that prints no credential (the generated one would print <see cref="Authorization"/>).</summary>
    public override string ToString() =>
        $"{nameof(AzureDevOpsDeliveryHeaders)} {{ ActivityId = {ActivityId}, SubscriptionId = {SubscriptionId}, Authorization = {(Authorization is null ? "absent" : "present")} }}";
}
