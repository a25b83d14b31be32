namespace SfpPlatform.Core.Workflows.Hatchet.Schedules;

/// <summary>A cron schedule as Hatchet should have it: its id and name, its cron, and whether it is paused.</summary>
/// <param name="Cron">Null once the schedule is deleted.</param>
public sealed record HatchetScheduleState(Guid Id, string Name, string? Cron, bool Paused)
{
    /// <summary>The cron trigger Hatchet should fire: none while paused or once deleted.</summary>
    public string? ActiveCron => Paused ? null : Cron;
}
