using System.Text.Json;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// One authentic webhook delivery, stored before it is acknowledged: who sent it, what it is about, the headers
/// that matter and the raw body, byte for byte (the signature covers those bytes). Unique per provider and delivery id.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    /// <summary>One of <see cref="WebhookProviders"/>.</summary>
    public required string Provider { get; set; }

    /// <summary>GitHub's <c>X-GitHub-Delivery</c> (kept on redelivery); Azure DevOps' payload <c>id</c>.</summary>
    public required string DeliveryId { get; set; }

    /// <summary>The provider's event name: <c>pull_request</c>, <c>git.push</c>, ...</summary>
    public required string Event { get; set; }

    public string? Action { get; set; }

    /// <summary><c>owner/name</c> on GitHub; <c>project/repository</c> on Azure DevOps.</summary>
    public string? Repository { get; set; }

    /// <summary>The GitHub App installation the delivery came through.</summary>
    public long? InstallationId { get; set; }

    /// <summary>The GitHub organisation login, or the Azure DevOps organisation.</summary>
    public string? Organization { get; set; }

    /// <summary>The project of the webhook integration that authenticated the delivery (null: global).</summary>
    public string? ProjectKey { get; set; }

    public Guid? IntegrationId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The provider headers worth keeping, as a JSON object of name to value (never <c>Authorization</c>).</summary>
    public required JsonDocument Headers { get; set; }

    public required byte[] Body { get; set; }

    /// <summary><see cref="WebhookDeliveryStatus.Routed"/> (a run was enqueued) or <see cref="WebhookDeliveryStatus.Ignored"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Why it was routed as it was: the rule that matched, or why none did.</summary>
    public required string Reason { get; set; }

    /// <summary>The workflow the delivery was routed to, if any.</summary>
    public string? Workflow { get; set; }

    /// <summary>
    /// True when the platform had asked GitHub to redeliver this delivery (a <see cref="Recovery.GitHubRedeliveryRequest"/>
    /// for its guid existed when it was stored): it was refused or missed once and came back through the delivery recovery.
    /// </summary>
    public bool Recovered { get; set; }
}
