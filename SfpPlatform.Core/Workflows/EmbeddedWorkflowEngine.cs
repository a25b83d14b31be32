using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Workflows;

/// <summary>The engine contract on Postgres: runs are rows, claimed by <see cref="EmbeddedWorkflowWorker"/>.</summary>
public sealed class EmbeddedWorkflowEngine(SfpDbContext db, WorkflowRuns runs, TimeProvider time) : IWorkflowEngine
{
    public Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken) =>
        runs.EnqueueAsync(trigger, cancellationToken);

    public async Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changed = await db.Database.ExecuteSqlAsync($"""
            UPDATE workflow_runs
            SET cancel_requested = true, updated_at = {now},
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN {now} ELSE finished_at END,
                error = CASE WHEN status = 'queued' THEN 'cancelled' ELSE error END
            WHERE id = {runId} AND status IN ('queued', 'running')
            """, cancellationToken);
        return changed == 1;
    }

    public Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken) =>
        db.WorkflowRuns.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new WorkflowRunState(r.Id, r.Workflow, r.Status, r.Attempt, r.CurrentStep, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt))
            .SingleOrDefaultAsync(cancellationToken);
}
