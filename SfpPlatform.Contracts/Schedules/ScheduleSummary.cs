namespace SfpPlatform.Contracts.Schedules;

/// <summary>A schedule as the schedules list shows it.</summary>
/// <param name="Cron">Five-field cron expression in UTC; null for a one-off.</param>
/// <param name="At">A one-off's time; null for a cron schedule.</param>
/// <param name="NextRunAt">When it next runs; null once a one-off has run.</param>
/// <param name="LastRunStatus">One of <see cref="Runs.RunStatuses"/>; null before its first run (or once that run was purged).</param>
/// <param name="Owner">One of <see cref="ScheduleOwners"/>.</param>
public sealed record ScheduleSummary(
    string Name, string Workflow, string? ProjectKey, string? Cron, DateTimeOffset? At, DateTimeOffset? NextRunAt,
    Guid? LastRunId, string? LastRunStatus, DateTimeOffset? LastTickAt, bool Paused, string Owner);
