using SfpPlatform.Contracts.Schedules;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// Schedules kept in Postgres (<see cref="ScheduleStore"/>) and started by the Workers' scheduler loop through the
/// engine contract. The runs it starts go wherever <see cref="IWorkflowEngine"/> sends them: with Hatchet, the outbox
/// relay hands them to Hatchet like any other run.
/// </summary>
public sealed class EmbeddedWorkflowScheduler(ScheduleStore store) : IWorkflowScheduler
{
    public Task<bool> CreateAsync(ScheduleDefinition definition, CancellationToken cancellationToken) => store.CreateAsync(definition, cancellationToken);

    public Task<IReadOnlyList<ScheduleSummary>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => store.DeleteAsync(name, cancellationToken);

    public Task<bool> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken) => store.SetPausedAsync(name, paused, cancellationToken);
}
