namespace SfpPlatform.Contracts.Runs;

/// <summary>A workflow run as the runs list shows it; also the answer of a cancel.</summary>
/// <param name="Status">One of <see cref="RunStatuses"/>.</param>
/// <param name="DeliveryId">The stored webhook delivery that caused it, if any.</param>
/// <param name="ReplayOfRunId">The run it replays, if any.</param>
/// <param name="Attempt">How many times the engine has started it.</param>
/// <param name="CurrentStep">The step running now, if any.</param>
/// <param name="CancelRequested">Whether an owner asked it to stop.</param>
/// <param name="Trigger">What started it: one of <see cref="TriggerKinds"/>.</param>
public sealed record RunSummary(
    Guid Id, string Workflow, string Status, string? ProjectKey, Guid? DeliveryId, Guid? ReplayOfRunId, int Attempt,
    string? CurrentStep, string? Error, bool CancelRequested, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string Trigger);
