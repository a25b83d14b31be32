using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// The engine contract's statements: enqueue (in the caller's transaction), cancel, status.
public sealed partial class WorkflowRunStore
{
    // One statement: the insert (a second one with the same idempotency key adds nothing). No NOTIFY here: a notifying
    // transaction takes Postgres's global notify lock through its commit, so enqueues would commit one at a time; the
    // workers are woken after the commit by the RunWakeNotifier instead. It touches no other run: superseding older runs of the concurrency group is lazy (the claim
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
        SELECT i.id AS "Value" FROM inserted i
        """;

    // The run of a webhook delivery, written in the intake's group commit right after the delivery's own INSERT: added
    // only if that delivery row is there (a duplicate delivery id inserted nothing, so it causes no run either).
    private const string EnqueueForDeliverySql = $"""
        INSERT INTO workflow_runs (id, workflow, status, input, idempotency_key, concurrency_key, project_key, delivery_id,
                                   trace_parent, trace_state, created_at, updated_at, next_attempt_at, attempt, cancel_requested)
        SELECT $1, $2, '{RunStatuses.Queued}', CAST($3 AS jsonb), $4, $5, $6, $7, $8, $9, $10, $10, $10, 0, false
        WHERE EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = $7)
        ON CONFLICT (idempotency_key) DO NOTHING
        RETURNING id
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
    /// Adds a queued run, joining the transaction open on the context, and wakes the workers (through the
    /// <see cref="RunWakeNotifier"/>, after the commit when no transaction is open; a caller with its own transaction
    /// calls <see cref="WakeWorkers"/> after committing, else the workers find the run on their next poll). Older runs of its concurrency group are superseded later, without a lock here:
    /// see <see cref="ClaimAsync"/> and <see cref="RenewLeaseAsync"/>. Returns the run's id, or null when a run with the same idempotency key already exists.
    /// </summary>
    public async Task<Guid?> EnqueueAsync(WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var id = Guid.CreateVersion7();
        var now = _time.GetUtcNow();
        var (traceParent, traceState) = TraceContext(trigger);
        var inserted = await Context.Database.SqlQueryRaw<Guid>(EnqueueSql,
            Named("id", id), Named("workflow", trigger.Workflow), Named("input", trigger.Input.GetRawText()),
            Named("idempotency_key", trigger.IdempotencyKey), Named("concurrency_key", trigger.ConcurrencyKey),
            Named("project_key", trigger.ProjectKey), Named("delivery_id", trigger.DeliveryId), Named("replay_of_run_id", trigger.ReplayOfRunId),
            Named("trace_parent", traceParent), Named("trace_state", traceState), Named("now", now))
            .ToListAsync(cancellationToken);
        if (inserted.Count == 0)
        {
            return null;
        }

        if (Context.Database.CurrentTransaction is null)
        {
            WakeWorkers();
        }

        return id;
    }

    /// <summary>
    /// The statement that adds the run of a delivery inside the intake's group commit (after the delivery's INSERT in the
    /// same transaction; it adds nothing unless that delivery row exists). Returns the run's id as its one row, or no row.
    /// The trace context is the trigger's as given: resolve the caller's first with <see cref="WithCallerTrace"/>.
    /// </summary>
    public static NpgsqlBatchCommand EnqueueForDeliveryCommand(Guid runId, WorkflowTrigger trigger, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(trigger.Workflow);
        var deliveryId = trigger.DeliveryId ?? throw new ArgumentException("A delivery's run names its delivery.", nameof(trigger));
        var command = new NpgsqlBatchCommand(EnqueueForDeliverySql);
        command.Parameters.Add(new NpgsqlParameter { Value = runId });
        command.Parameters.Add(new NpgsqlParameter { Value = trigger.Workflow });
        command.Parameters.Add(new NpgsqlParameter { Value = trigger.Input.GetRawText(), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(Text(trigger.IdempotencyKey));
        command.Parameters.Add(Text(trigger.ConcurrencyKey));
        command.Parameters.Add(Text(trigger.ProjectKey));
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(Text(trigger.TraceParent));
        command.Parameters.Add(Text(trigger.TraceState));
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        return command;
    }

    /// <summary>
    /// The W3C trace context a run keeps: the trigger's, else the current activity's. Resolve it on the caller's
    /// thread (<see cref="WithCallerTrace"/>) when the run is written elsewhere.
    /// </summary>
    private static (string? Parent, string? State) TraceContext(WorkflowTrigger trigger)
    {
        var traceParent = trigger.TraceParent ?? (Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null);
        var traceState = trigger.TraceState ?? Activity.Current?.TraceStateString;
        // A caller's tracestate longer than W3C allows (512) is dropped, not clipped: a clipped one is not valid.
        return (traceParent, traceState is { Length: > 512 } ? null : traceState);
    }

    /// <summary>The trigger with the current activity's trace context, for a run written by another thread (the group commit).</summary>
    public static WorkflowTrigger WithCallerTrace(WorkflowTrigger trigger)
    {
        var (parent, state) = TraceContext(trigger);
        return trigger with { TraceParent = parent, TraceState = state };
    }

    /// <summary>Wakes the workers for runs enqueued in a transaction that has now committed (coalesced: cheap to call per run).</summary>
    public void WakeWorkers() => _wake?.Notify();

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

    // A run the purge deletes (alias r): finished before @cutoff, and no other run replays it (replay_of_run_id
    // restricts); its step attempts and log lines go with it (cascade).
    private const string PurgeableRunSql = $"""
        r.status IN {FinishedStatusesSql} AND r.finished_at < @cutoff
          AND NOT EXISTS (SELECT 1 FROM workflow_runs o WHERE o.replay_of_run_id = r.id AND o.id <> r.id)
        """;

    private const string PurgeableRunsSql = $"SELECT r.id FROM workflow_runs r WHERE {PurgeableRunSql}";

    /// <summary>
    /// Retention, dry run: SQL that is true when delivery <c>d</c> still has a run once a purge of runs finished before
    /// <c>@cutoff</c> is done — a delivery goes only when no run points to it, so the count of deliveries a purge deletes
    /// must leave out those whose runs it keeps, and count those whose runs it deletes first.
    /// </summary>
    public const string DeliveryKeepsARunSql =
        $"EXISTS (SELECT 1 FROM workflow_runs r WHERE r.delivery_id = d.id AND NOT coalesce(({PurgeableRunSql}), false))";

    /// <summary>Retention: deletes up to <paramref name="batch"/> purgeable runs; returns how many.</summary>
    public async Task<int> PurgeFinishedAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        await Context.Database.ExecuteSqlRawAsync(
            $"DELETE FROM workflow_runs WHERE id IN ({PurgeableRunsSql} ORDER BY r.finished_at LIMIT @batch)",
            [Named("cutoff", cutoff), Named("batch", batch)], cancellationToken);

    private const string PurgeableLogsSql = $"""
        SELECT l.id FROM workflow_logs l
        WHERE l.at < @cutoff AND EXISTS (SELECT 1 FROM workflow_runs r WHERE r.id = l.run_id
          AND r.status IN {FinishedStatusesSql})
        """;

    /// <summary>Retention: deletes up to <paramref name="batch"/> log lines of finished runs older than <paramref name="cutoff"/>, oldest first.</summary>
    public async Task<int> PurgeLogsAsync(DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        await Context.Database.ExecuteSqlRawAsync(
            $"DELETE FROM workflow_logs WHERE id IN ({PurgeableLogsSql} ORDER BY l.id LIMIT @batch)",
            [Named("cutoff", cutoff), Named("batch", batch)], cancellationToken);

    /// <summary>Retention, dry run: how many log lines a purge would delete now.</summary>
    public async Task<long> CountPurgeableLogsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        (await Context.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM ({PurgeableLogsSql}) p", [Named("cutoff", cutoff)])
            .ToListAsync(cancellationToken))[0];

    /// <summary>Retention, dry run: how many runs a purge would delete now.</summary>
    public async Task<long> CountPurgeableAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        (await Context.Database.SqlQueryRaw<long>($"SELECT count(*) AS \"Value\" FROM ({PurgeableRunsSql}) p", [Named("cutoff", cutoff)])
            .ToListAsync(cancellationToken))[0];
}
