using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// The engine contract's statements: enqueue (in the caller's transaction), cancel, status.
public sealed partial class WorkflowRunStore
{
    // One statement: the insert (a second one with the same idempotency key adds nothing) and the NOTIFY that wakes the
    // workers on commit. It touches no other run: superseding older runs of the concurrency group is lazy (the claim
    // cancels the queued ones, a lease renewal tells a running one to stop), so a burst of deliveries for one pull
    // request takes no lock on each other's runs and is acknowledged as fast as deliveries for distinct ones.
    private const string EnqueueSql = $"""
        WITH inserted AS (
            INSERT INTO workflow_runs (id, workflow, status, input, idempotency_key, concurrency_key, project_key, delivery_id,
                                       replay_of_run_id, trace_parent, trace_state, created_at, updated_at, next_attempt_at,
                                       attempt, cancel_requested)
            VALUES (@id, @workflow, '{RunStatuses.Queued}', CAST(@input AS jsonb), @idempotency_key,
                    @concurrency_key, @project_key, @delivery_id, @replay_of_run_id,
                    @trace_parent, @trace_state, @now, @now, @now, 0, false)
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id)
        SELECT i.id AS "Value" FROM inserted i CROSS JOIN LATERAL (SELECT pg_notify(@channel, @workflow)) n
        """;

    // Cancels every live run of the groups (closing a pull request ends its validation and review environment).
    private const string CancelGroupsSql = $"""
        UPDATE workflow_runs
        SET cancel_requested = true, updated_at = $3,
            status = CASE WHEN status = '{RunStatuses.Queued}' THEN '{RunStatuses.Cancelled}' ELSE status END,
            finished_at = CASE WHEN status = '{RunStatuses.Queued}' THEN $3 ELSE finished_at END,
            error = CASE WHEN status = '{RunStatuses.Queued}' THEN $2 ELSE error END
        WHERE concurrency_key = ANY($1) AND status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')
        RETURNING id, workflow
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
    /// together), and wakes the workers. Older runs of its concurrency group are superseded later, without a lock here:
    /// see <see cref="ClaimAsync"/> and <see cref="RenewLeaseAsync"/>. Returns the run's id, or null when a run with the same idempotency key already exists.
    /// </summary>
    public async Task<Guid?> EnqueueAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var id = Guid.CreateVersion7();
        var now = _time.GetUtcNow();
        var traceParent = trigger.TraceParent ?? (Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null);
        var traceState = trigger.TraceState ?? Activity.Current?.TraceStateString;
        // A caller's tracestate longer than W3C allows (512) is dropped, not clipped: a clipped one is not valid.
        traceState = traceState is { Length: > 512 } ? null : traceState;
        var inserted = await Context.Database.SqlQueryRaw<Guid>(EnqueueSql,
            Named("id", id), Named("workflow", trigger.Workflow), Named("input", trigger.Input.GetRawText()),
            Named("idempotency_key", trigger.IdempotencyKey), Named("concurrency_key", trigger.ConcurrencyKey),
            Named("project_key", trigger.ProjectKey), Named("delivery_id", trigger.DeliveryId), Named("replay_of_run_id", trigger.ReplayOfRunId),
            Named("trace_parent", traceParent), Named("trace_state", traceState), Named("now", now), Named("channel", Channel))
            .ToListAsync(cancellationToken);
        return inserted.Count == 1 ? id : null;
    }

    /// <summary>
    /// Cancels every queued run of the concurrency groups and asks every running one to stop, with
    /// <paramref name="reason"/>; returns the runs it reached (id and workflow).
    /// </summary>
    public Task<List<(Guid Id, string Workflow)>> CancelGroupsAsync(string[] concurrencyKeys, string reason, CancellationToken cancellationToken) =>
        QueryAsync(CancelGroupsSql, [concurrencyKeys, Clip(reason), _time.GetUtcNow()], r => (r.GetGuid(0), r.GetString(1)), cancellationToken);

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

    // Finished runs older than the cutoff that no kept run replays (replay_of_run_id restricts), oldest first; their step
    // attempts and log lines go with them (cascade).
    private const string PurgeableRunsSql = $"""
        SELECT r.id FROM workflow_runs r
        WHERE r.status IN ('{RunStatuses.Succeeded}', '{RunStatuses.Failed}', '{RunStatuses.Cancelled}') AND r.finished_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM workflow_runs o WHERE o.replay_of_run_id = r.id AND o.id <> r.id)
        """;

    /// <summary>Retention: deletes up to <paramref name="batch"/> purgeable runs; returns how many.</summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        await Context.Database.ExecuteSqlRawAsync(
            $"DELETE FROM workflow_runs WHERE id IN ({PurgeableRunsSql} ORDER BY r.finished_at LIMIT @batch)",
            [Named("cutoff", cutoff), Named("batch", batch)], cancellationToken);

    /// <summary>Retention, dry run: how many runs a purge would delete now.</summary>
    public async Task<long> CountPurgeableAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        (await Context.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM ({PurgeableRunsSql}) p", [Named("cutoff", cutoff)])
            .ToListAsync(cancellationToken))[0];
}
