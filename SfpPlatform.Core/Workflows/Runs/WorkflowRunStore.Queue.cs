using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// The engine contract's statements: enqueue (in the caller's transaction), cancel, status.
public sealed partial class WorkflowRunStore
{
    // One statement: the insert (a second one with the same idempotency key adds nothing), the supersede of older
    // runs of the same concurrency group, and the NOTIFY that wakes the workers on commit. The older runs are locked in
    // id order before they are updated: two deliveries of the same pull request enqueued at once (each in its intake
    // transaction) otherwise lock them in whatever order their scans meet them, and deadlock.
    private const string EnqueueSql = $"""
        WITH inserted AS (
            INSERT INTO workflow_runs (id, workflow, status, input, idempotency_key, concurrency_key, project_key, delivery_id,
                                       replay_of_run_id, trace_parent, trace_state, created_at, updated_at, next_attempt_at,
                                       attempt, cancel_requested)
            VALUES (@id, @workflow, '{RunStatuses.Queued}', CAST(@input AS jsonb), @idempotency_key,
                    @concurrency_key, @project_key, @delivery_id, @replay_of_run_id,
                    @trace_parent, @trace_state, @now, @now, @now, 0, false)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id, concurrency_key),
        older AS (
            SELECT o.id FROM workflow_runs o JOIN inserted i ON o.concurrency_key = i.concurrency_key
            WHERE o.id <> i.id AND o.status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')
            ORDER BY o.id
            FOR UPDATE OF o),
        superseded AS (
            UPDATE workflow_runs o
            SET cancel_requested = true, updated_at = @now,
                status = CASE WHEN o.status = '{RunStatuses.Queued}' THEN '{RunStatuses.Cancelled}' ELSE o.status END,
                finished_at = CASE WHEN o.status = '{RunStatuses.Queued}' THEN @now ELSE o.finished_at END,
                error = CASE WHEN o.status = '{RunStatuses.Queued}' THEN 'superseded by a newer run' ELSE o.error END
            FROM older
            WHERE o.id = older.id AND o.status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')
            RETURNING o.id)
        SELECT i.id AS "Value" FROM inserted i CROSS JOIN LATERAL (SELECT pg_notify(@channel, @workflow)) n
        """;

    private const string CancelSql = $"""
        UPDATE workflow_runs
        SET cancel_requested = true, updated_at = @now,
            status = CASE WHEN status IN ('{RunStatuses.Queued}', '{RunStatuses.Waiting}') THEN '{RunStatuses.Cancelled}' ELSE status END,
            finished_at = CASE WHEN status IN ('{RunStatuses.Queued}', '{RunStatuses.Waiting}') THEN @now ELSE finished_at END,
            error = CASE WHEN status IN ('{RunStatuses.Queued}', '{RunStatuses.Waiting}') THEN 'cancelled' ELSE error END
        WHERE id = @id AND status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}', '{RunStatuses.Waiting}')
        """;

    /// <summary>
    /// Adds a queued run, joining the transaction open on the context (the webhook intake writes delivery and run
    /// together). In the same statement, older runs of the same concurrency group are superseded and the workers are
    /// woken. Returns the run's id, or null when a run with the same idempotency key already exists.
    /// </summary>
    public async Task<Guid?> EnqueueAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var id = Guid.CreateVersion7();
        var now = _time.GetUtcNow();
        var traceParent = trigger.TraceParent ?? (Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null);
        var traceState = trigger.TraceState ?? Activity.Current?.TraceStateString;
        var inserted = await Context.Database.SqlQueryRaw<Guid>(EnqueueSql,
            Named("id", id), Named("workflow", trigger.Workflow), Named("input", trigger.Input.GetRawText()),
            Named("idempotency_key", trigger.IdempotencyKey), Named("concurrency_key", trigger.ConcurrencyKey),
            Named("project_key", trigger.ProjectKey), Named("delivery_id", trigger.DeliveryId), Named("replay_of_run_id", trigger.ReplayOfRunId),
            Named("trace_parent", traceParent), Named("trace_state", traceState), Named("now", now), Named("channel", Channel))
            .ToListAsync(cancellationToken);
        return inserted.Count == 1 ? id : null;
    }

    /// <summary>Cancels a queued or waiting run, or asks a running one to stop; false when it had already ended (or does not exist).</summary>
    public async Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken) =>
        await Context.Database.ExecuteSqlRawAsync(CancelSql, [Named("id", runId), Named("now", _time.GetUtcNow())], cancellationToken) == 1;

    /// <summary>Records why a run's cancellation went only this far (the engine was not told), in the run's error.</summary>
    public async Task NoteCancelAsync(Guid runId, string note, CancellationToken cancellationToken) =>
        await Context.Set<WorkflowRun>().Where(r => r.Id == runId && r.CancelRequested)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Error, Clip(note)).SetProperty(r => r.UpdatedAt, _time.GetUtcNow()), cancellationToken);

    public Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken) =>
        Context.Set<WorkflowRun>().AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new WorkflowRunState(r.Id, r.Workflow, r.Status, r.Attempt, r.CurrentStep, r.Error, r.CreatedAt, r.StartedAt, r.FinishedAt))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The run's id in an external engine (Hatchet), once relayed there.</summary>
    public Task<string?> EngineRunIdAsync(Guid runId, CancellationToken cancellationToken) =>
        Context.Set<WorkflowRun>().AsNoTracking().Where(r => r.Id == runId).Select(r => r.EngineRunId).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The newest run a delivery caused (what a replay links to), if any.</summary>
    public Task<Guid?> LatestRunOfDeliveryAsync(Guid deliveryId, CancellationToken cancellationToken) =>
        Context.Set<WorkflowRun>().AsNoTracking().Where(r => r.DeliveryId == deliveryId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(cancellationToken);
}
