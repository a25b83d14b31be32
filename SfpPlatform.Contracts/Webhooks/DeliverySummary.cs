namespace SfpPlatform.Contracts.Webhooks;

/// <summary>A stored webhook delivery as the delivery log lists it.</summary>
/// <param name="Id">The platform's id of the stored delivery.</param>
/// <param name="DeliveryId">The provider's id (GitHub's <c>X-GitHub-Delivery</c>, Azure DevOps' event id).</param>
/// <param name="Status">One of <see cref="DeliveryStatuses"/>.</param>
/// <param name="Reason">Why it was routed (the rule that matched) or ignored.</param>
/// <param name="Workflow">The workflow it started, if routed.</param>
/// <param name="Recovered">GitHub sent it again because the platform's delivery recovery asked (it had failed before).</param>
public sealed record DeliverySummary(
    Guid Id, string Provider, string DeliveryId, string Event, string? Action, string? Repository, long? InstallationId,
    string? Organization, string? ProjectKey, DateTimeOffset ReceivedAt, string Status, string Reason, string? Workflow,
    bool Recovered = false);
