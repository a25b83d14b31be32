using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// The engine contract with Hatchet running the workflows: a trigger is a row in <c>workflow_runs</c> (the outbox
/// <see cref="HatchetRelay"/> hands to Hatchet, so it joins the caller's transaction and never waits on Hatchet);
/// cancel marks the row and asks Hatchet to cancel the run's tasks; status is the platform's record, which the
/// Hatchet worker keeps current.
/// </summary>
public sealed class HatchetWorkflowEngine(EmbeddedWorkflowEngine records, SfpDbContext db, HatchetConnection hatchet) : IWorkflowEngine
{
    public Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken) =>
        records.TriggerAsync(trigger, cancellationToken);

    public async Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken)
    {
        var cancelled = await records.CancelAsync(runId, cancellationToken);
        var engineRunId = await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == runId).Select(r => r.EngineRunId).SingleOrDefaultAsync(cancellationToken);
        if (cancelled && engineRunId is not null)
        {
            try
            {
                await hatchet.Admin.CancelTasksAsync(new CancelTasksRequest { ExternalIds = { engineRunId } },
                    deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
            }
            catch (RpcException)
            {
                // The row says cancelled: the worker refuses to start the run's next step, and ends a running one when it next checks.
            }
        }

        return cancelled;
    }

    public Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken) =>
        records.StatusAsync(runId, cancellationToken);
}
