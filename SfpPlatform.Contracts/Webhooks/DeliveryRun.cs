namespace SfpPlatform.Contracts.Webhooks;

/// <summary>A run a delivery started (or a replay of it started); also the answer of a replay.</summary>
public sealed record DeliveryRun(Guid Id, string Workflow, string Status, Guid? ReplayOfRunId, DateTimeOffset CreatedAt);
