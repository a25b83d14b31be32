namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// What a due schedule does now: one run for <see cref="Tick"/> (the latest occurrence that has passed), then waits
/// for <see cref="Next"/> (null: a one-off that has run, or a cron with no later occurrence).
/// </summary>
/// <param name="Missed">How many occurrences passed since the schedule last ran, <see cref="Tick"/> included.</param>
public sealed record ScheduleTick(DateTimeOffset Tick, DateTimeOffset? Next, int Missed);
