using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// The engine contract: trigger (joining the caller's transaction where the engine can), cancel, status. The
/// embedded engine runs on Postgres; Hatchet implements the same contract.
/// </summary>
public interface IWorkflowEngine
{
    /// <summary>Enqueues a run; null when a run with the same idempotency key exists.</summary>
    Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken);

    /// <summary>Cancels a queued run, or asks a running one to stop; false when it had already finished.</summary>
    Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken);

    Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken);
}
