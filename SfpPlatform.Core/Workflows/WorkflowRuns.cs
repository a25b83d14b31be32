using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// Enqueues workflow runs in the platform database — the embedded engine's queue, and the record every engine
/// keeps. The insert joins the transaction open on the context, if any, so a caller writes its own rows and the run
/// atomically (the webhook intake writes delivery and run together). In the same statement, older runs of the same
/// concurrency group are superseded and the workers are woken (NOTIFY, delivered on commit).
/// </summary>
public sealed class WorkflowRuns(SfpDbContext db, TimeProvider time)
{
    /// <summary>The channel workers LISTEN on.</summary>
    public const string Channel = "sfp_workflow_runs";

    /// <summary>Adds a queued run. Returns its id, or null when a run with the same idempotency key already exists.</summary>
    public async Task<Guid?> EnqueueAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        var input = trigger.Input.GetRawText();
        var traceParent = trigger.TraceParent ?? (Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null);
        var traceState = trigger.TraceState ?? Activity.Current?.TraceStateString;
        var inserted = await db.Database.SqlQuery<Guid>($"""
            WITH inserted AS (
                INSERT INTO workflow_runs (id, workflow, status, input, idempotency_key, concurrency_key, project_key, delivery_id,
                                           replay_of_run_id, trace_parent, trace_state, created_at, updated_at, next_attempt_at,
                                           attempt, cancel_requested)
                VALUES ({id}, {trigger.Workflow}, {WorkflowRunStatus.Queued}, CAST({input} AS jsonb), {trigger.IdempotencyKey},
                        {trigger.ConcurrencyKey}, {trigger.ProjectKey}, {trigger.DeliveryId}, {trigger.ReplayOfRunId},
                        {traceParent}, {traceState}, {now}, {now}, {now}, 0, false)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id, concurrency_key),
            superseded AS (
                UPDATE workflow_runs o
                SET cancel_requested = true, updated_at = {now},
                    status = CASE WHEN o.status = 'queued' THEN 'cancelled' ELSE o.status END,
                    finished_at = CASE WHEN o.status = 'queued' THEN {now} ELSE o.finished_at END,
                    error = CASE WHEN o.status = 'queued' THEN 'superseded by a newer run' ELSE o.error END
                FROM inserted i
                WHERE i.concurrency_key IS NOT NULL AND o.concurrency_key = i.concurrency_key AND o.id <> i.id
                  AND o.status IN ('queued', 'running')
                RETURNING o.id)
            SELECT i.id AS "Value" FROM inserted i CROSS JOIN LATERAL (SELECT pg_notify({Channel}, {trigger.Workflow})) n
            """).ToListAsync(cancellationToken);
        return inserted.Count == 1 ? id : null;
    }
}
