using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Workflows;

/// <summary>The engine contract on Postgres: runs are rows of the run store, claimed by the embedded engine's workers.</summary>
public sealed class EmbeddedWorkflowEngine(WorkflowRunStore runs) : IWorkflowEngine
{
    public Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken) => runs.EnqueueAsync(trigger, cancellationToken);

    public Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken) => runs.CancelAsync(runId, cancellationToken);

    public Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken) => runs.StatusAsync(runId, cancellationToken);
}
