namespace SfpPlatform.Core.Workflows.Hatchet.Schedules;

/// <summary>A schedule workflow's <c>cron_input</c>: the schedule it fires (by id; the name is for people reading Hatchet's dashboard).</summary>
public sealed record HatchetScheduleInput(Guid ScheduleId, string Name);
