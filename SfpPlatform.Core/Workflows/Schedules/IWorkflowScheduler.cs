using SfpPlatform.Contracts.Schedules;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// The engine contract's schedules, next to <see cref="IWorkflowEngine"/>: cron (five fields, UTC) and one-off runs
/// of a workflow with an input; create, list, pause or resume, delete.
/// </summary>
public interface IWorkflowScheduler
{
    /// <summary>Adds a schedule; false when one with its name exists. The cron expression must be valid (<see cref="CronSchedule.TryParse"/>).</summary>
    Task<bool> CreateAsync(ScheduleDefinition definition, CancellationToken cancellationToken);

    Task<IReadOnlyList<ScheduleSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>False when there is no schedule of that name.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>False when there is no schedule of that name.</summary>
    Task<bool> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken);
}
