namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>What a tick the engine fired did (<see cref="ScheduleStore.FireAsync"/>).</summary>
/// <param name="Name">The schedule's name; null when it no longer exists.</param>
/// <param name="RunId">The run started; null when none was (skipped, or the tick's run already existed).</param>
/// <param name="Started">True when the tick was taken (its run started now or earlier); false when it was skipped.</param>
/// <param name="Skipped">Why the tick was skipped (deleted, paused, another cron).</param>
public sealed record ScheduleFire(string? Name, Guid? RunId, bool Started, string? Skipped)
{
    /// <summary>The engine should stop firing this schedule: it was deleted or is paused.</summary>
    public bool Withdraw { get; init; }
}
