using Npgsql;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// What every engine's workers write about steps (attempts and log lines), and the statements of an external engine
// (Hatchet): runs are relayed to it, and its worker keeps the run's record current, with no lease of ours.
public sealed partial class WorkflowRunStore
{
    private const string StartAssignedStepSql = $"""
        WITH current AS (
            UPDATE workflow_runs SET status = '{RunStatuses.Running}', current_step = $2, attempt = attempt + 1,
                started_at = coalesce(started_at, now()), updated_at = now()
            WHERE id = $1)
        INSERT INTO workflow_step_runs (run_id, step, attempt, status, worker, started_at)
        VALUES ($1, $2, $3, '{WorkflowStepStatus.Running}', $4, now()) RETURNING id
        """;

    private const string SetRunStatusSql = $"""
        UPDATE workflow_runs SET status = $2, error = coalesce($3, error), updated_at = now(),
            finished_at = CASE WHEN $4 THEN now() ELSE finished_at END,
            current_step = CASE WHEN $2 = '{RunStatuses.Succeeded}' THEN NULL ELSE current_step END
        WHERE id = $1 AND status NOT IN {FinishedStatusesSql}
        RETURNING {EndedColumns}
        """;

    private const string RelayBatchSql = $"""
        SELECT id, workflow, input::text, idempotency_key, concurrency_key, trace_parent, trace_state
        FROM workflow_runs
        WHERE status = '{RunStatuses.Queued}' AND engine_run_id IS NULL AND NOT cancel_requested AND workflow = ANY($1)
          AND next_attempt_at <= now()
        ORDER BY next_attempt_at, id
        LIMIT $2
        FOR UPDATE SKIP LOCKED
        """;

    // One pass over the live runs only (the claimable and lease indexes cover queued and running): what the metrics'
    // queue gauges show. Cheap enough for a sampler every few seconds; never run per scrape.
    private const string QueueSampleSql = $"""
        SELECT count(*) FILTER (WHERE status = '{RunStatuses.Queued}' AND next_attempt_at <= now()),
               count(*) FILTER (WHERE status = '{RunStatuses.Running}'),
               coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = '{RunStatuses.Queued}' AND next_attempt_at <= now())), 0)::float8
        FROM workflow_runs WHERE status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')
        """;

    /// <summary>The queue now: due queued runs, running runs, the oldest due run's age.</summary>
    public async Task<Telemetry.RunQueueSnapshot> SampleQueueAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(QueueSampleSql, [], r => new Telemetry.RunQueueSnapshot(
            r.GetInt64(0), r.GetInt64(1), TimeSpan.FromSeconds(r.GetDouble(2)), _time.GetUtcNow()), cancellationToken))[0];

    public Task EndStepAsync(long stepRunId, string status, string? error, CancellationToken cancellationToken) =>
        NonQueryAsync("UPDATE workflow_step_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1",
            [stepRunId, status, Text(error)], cancellationToken);

    public Task AppendLogAsync(Guid runId, string step, string line, CancellationToken cancellationToken) =>
        NonQueryAsync("INSERT INTO workflow_logs (run_id, step, at, line) VALUES ($1, $2, now(), $3)", [runId, step, line], cancellationToken);

    /// <summary>Records the start of an attempt an external engine assigned: the run is running, on this step.</summary>
    public async Task<long> StartAssignedStepAsync(Guid runId, string worker, string step, int attempt, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(StartAssignedStepSql, [runId, step, attempt, worker], cancellationToken))!;

    /// <summary>Sets the run's status as an external engine's worker sees it; a run that has ended is left as it is.</summary>
    public async Task SetRunStatusAsync(Guid runId, string status, string? error, bool finished, CancellationToken cancellationToken)
    {
        var updated = await QueryAsync(SetRunStatusSql, [runId, status, Text(error), finished], ReadEnded, cancellationToken);
        if (finished)
        {
            RecordEnded(updated);
        }
    }

    /// <summary>The run's status, its external engine run id and whether a cancel was requested; null when there is no such run.</summary>
    public async Task<RunRecord?> RecordAsync(Guid runId, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("SELECT status, engine_run_id, cancel_requested FROM workflow_runs WHERE id = $1", [runId],
            r => new RunRecord(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2)), cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>
    /// Hands up to <paramref name="batch"/> queued runs of <paramref name="workflows"/> to an external engine, in one
    /// transaction: <paramref name="relay"/> triggers each and returns the engine's run id, recorded with it. A refused
    /// trigger rolls back its batch's records, so a run is relayed again rather than lost. Returns how many were relayed.
    /// </summary>
    public async Task<int> RelayQueuedAsync(
        string[] workflows, int batch, Func<QueuedRun, CancellationToken, Task<string>> relay, CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var runs = new List<QueuedRun>();
        await using (var select = new NpgsqlCommand(RelayBatchSql, connection, transaction))
        {
            Bind(select, [workflows, batch]);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(new QueuedRun(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4),
                    Nullable(reader, 5), Nullable(reader, 6)));
            }
        }

        foreach (var run in runs)
        {
            var engineRunId = await relay(run, cancellationToken);
            await using var record = new NpgsqlCommand("UPDATE workflow_runs SET engine_run_id = $2, updated_at = now() WHERE id = $1", connection, transaction);
            Bind(record, [run.Id, engineRunId]);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return runs.Count;

        static string? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
