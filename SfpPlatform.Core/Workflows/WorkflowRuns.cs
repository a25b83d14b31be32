using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// Enqueues workflow runs in the platform database. The insert joins the transaction open on the context, if any,
/// so a caller can write its own rows and the run atomically (the webhook intake writes delivery and run together).
/// </summary>
public sealed class WorkflowRuns(SfpDbContext db, TimeProvider time)
{
    /// <summary>
    /// Adds a queued run. Returns its id, or null when a run with the same idempotency key already exists.
    /// </summary>
    public async Task<Guid?> EnqueueAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var input = trigger.Input.GetRawText();
        var traceParent = trigger.TraceParent ?? (Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null);
        var traceState = trigger.TraceState ?? Activity.Current?.TraceStateString;
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO workflow_runs (id, workflow, status, input, idempotency_key, concurrency_key, project_key,
                                       delivery_id, replay_of_run_id, trace_parent, trace_state, created_at, updated_at)
            VALUES ({id}, {trigger.Workflow}, {WorkflowRunStatus.Queued}, CAST({input} AS jsonb), {trigger.IdempotencyKey},
                    {trigger.ConcurrencyKey}, {trigger.ProjectKey}, {trigger.DeliveryId}, {trigger.ReplayOfRunId},
                    {traceParent}, {traceState}, {now}, {now})
            ON CONFLICT (idempotency_key) DO NOTHING
            """, cancellationToken);
        return inserted == 1 ? id : null;
    }
}
