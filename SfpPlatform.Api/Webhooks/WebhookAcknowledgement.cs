namespace SfpPlatform.Api.Webhooks;

/// <summary>The answer to an accepted delivery: stored (routed or ignored, and why) or a duplicate of one stored before.</summary>
public sealed record WebhookAcknowledgement(Guid? Id, string Status, string Reason, string? Workflow, Guid? RunId);
