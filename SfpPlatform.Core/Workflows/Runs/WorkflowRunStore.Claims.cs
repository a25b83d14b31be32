using System.Text.Json;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// The embedded engine's statements: claims with FOR UPDATE SKIP LOCKED, the lease, resuming after the last completed
// step, and ending or releasing a run — each guarded by the lease owner, so a worker that lost its lease writes nothing.
public sealed partial class WorkflowRunStore
{
    private const string ClaimSql = $"""
        WITH expired AS (
            -- A run whose worker vanished: taken over first (rare; its own small partial index).
            SELECT c.id FROM workflow_runs c
            WHERE c.status = '{RunStatuses.Running}' AND c.lease_expires_at < now() AND c.workflow = ANY($3)
            ORDER BY c.lease_expires_at
            LIMIT $4
            FOR UPDATE SKIP LOCKED),
        due AS (
            -- Else the oldest due queued runs, walking ix_workflow_runs_claimable in order (no sort of the backlog), each
            -- the newest live run of its concurrency group (an older one is superseded; so a batch holds at most one run
            -- per group) and whose group has no live running run (a running one is told to stop at its next lease
            -- renewal, and this one waits for it).
            SELECT c.id, c.concurrency_key FROM workflow_runs c
            WHERE c.status = '{RunStatuses.Queued}' AND c.next_attempt_at <= now() AND c.workflow = ANY($3)
              AND (c.concurrency_key IS NULL OR NOT EXISTS (
                    SELECT 1 FROM workflow_runs o
                    WHERE o.concurrency_key = c.concurrency_key AND o.id <> c.id
                      AND ((o.status = '{RunStatuses.Running}' AND o.lease_expires_at >= now())
                        OR (o.id > c.id AND o.status = '{RunStatuses.Queued}'))))
            ORDER BY c.next_attempt_at, c.id
            LIMIT $4
            FOR UPDATE SKIP LOCKED),
        candidate AS (
            -- Taken-over runs and due runs never share a batch: a due run may supersede an expired one of its group,
            -- and one statement must not update a row twice. The n-th candidate goes to the n-th owner.
            SELECT id, concurrency_key, row_number() OVER () AS n FROM (
                SELECT id, NULL::text AS concurrency_key FROM expired
                UNION ALL
                SELECT id, concurrency_key FROM due WHERE NOT EXISTS (SELECT 1 FROM expired)) c),
        superseded AS (
            -- The lazy supersede: the group's older queued runs, and older runs whose worker vanished, end here.
            UPDATE workflow_runs s
            SET status = '{RunStatuses.Cancelled}', cancel_requested = true, finished_at = now(), updated_at = now(),
                lease_owner = NULL, lease_expires_at = NULL, error = 'superseded by a newer run'
            FROM candidate
            WHERE candidate.concurrency_key IS NOT NULL AND s.concurrency_key = candidate.concurrency_key AND s.id < candidate.id
              AND (s.status = '{RunStatuses.Queued}' OR (s.status = '{RunStatuses.Running}' AND s.lease_expires_at < now()))),
        claimed AS (
            -- A first claim (attempt 0 until now) of a run not asked to stop starts its first step here: the step's
            -- start needs no round trip of its own.
            UPDATE workflow_runs r
            SET status = '{RunStatuses.Running}', lease_owner = ($1::text[])[candidate.n], lease_expires_at = now() + make_interval(secs => $2), attempt = r.attempt + 1,
                started_at = coalesce(r.started_at, now()), updated_at = now(),
                current_step = CASE WHEN r.attempt = 0 AND NOT r.cancel_requested
                    THEN (SELECT f.step FROM unnest($3::text[], $5::text[]) AS f(workflow, step) WHERE f.workflow = r.workflow) ELSE r.current_step END
            FROM candidate
            WHERE r.id = candidate.id
            RETURNING r.id, r.workflow, r.input, r.attempt, r.trace_parent, r.trace_state, r.cancel_requested, r.lease_owner, r.current_step),
        started AS (
            INSERT INTO workflow_step_runs (run_id, step, attempt, status, worker, started_at)
            SELECT id, current_step, 1, '{WorkflowStepStatus.Running}', lease_owner, now() FROM claimed
            WHERE attempt = 1 AND NOT cancel_requested AND current_step IS NOT NULL
            RETURNING run_id, id)
        SELECT c.id, c.workflow, c.input::text, c.attempt, c.trace_parent, c.trace_state, c.cancel_requested, c.lease_owner, s.id
        FROM claimed c LEFT JOIN started s ON s.run_id = c.id
        """;

    // A renewal also tells the holder when a newer run of its concurrency group is waiting (the lazy supersede).
    private const string RenewLeaseSql = $"""
        UPDATE workflow_runs r SET lease_expires_at = now() + make_interval(secs => $3), updated_at = now(),
            cancel_requested = r.cancel_requested OR (r.concurrency_key IS NOT NULL AND EXISTS (
                SELECT 1 FROM workflow_runs n
                WHERE n.concurrency_key = r.concurrency_key AND n.id > r.id AND n.status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')))
        WHERE r.id = $1 AND r.lease_owner = $2 AND r.status = '{RunStatuses.Running}'
        RETURNING r.cancel_requested
        """;

    private const string AbandonSql = $"""
        UPDATE workflow_step_runs SET status = '{WorkflowStepStatus.Abandoned}', finished_at = now(), error = 'the worker vanished'
        WHERE run_id = $1 AND status = '{WorkflowStepStatus.Running}'
        """;

    private const string HistorySql = $"""
        SELECT step, status FROM workflow_step_runs
        WHERE run_id = $1 AND status NOT IN ('{WorkflowStepStatus.Released}', '{WorkflowStepStatus.Cancelled}', '{WorkflowStepStatus.Waiting}')
        """;

    private const string StartClaimedStepSql = $"""
        WITH current AS (UPDATE workflow_runs SET current_step = $2, updated_at = now() WHERE id = $1 AND lease_owner = $4)
        INSERT INTO workflow_step_runs (run_id, step, attempt, status, worker, started_at)
        VALUES ($1, $2, $3, '{WorkflowStepStatus.Running}', $4, now()) RETURNING id
        """;

    private const string FinishSql = $"""
        UPDATE workflow_runs SET status = $3, error = $4, finished_at = now(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL,
            current_step = CASE WHEN $3 = '{RunStatuses.Succeeded}' THEN NULL ELSE current_step END
        WHERE id = $1 AND lease_owner = $2
        RETURNING {EndedColumns}
        """;

    // The last step's success and the run's in one statement: the step's end is written whoever holds the run now (as
    // EndStepAsync writes it), the run's only while the owner holds it.
    private const string FinishWithStepSql = $"""
        WITH step AS (UPDATE workflow_step_runs SET status = '{WorkflowStepStatus.Succeeded}', error = NULL, finished_at = now() WHERE id = $3)
        UPDATE workflow_runs SET status = '{RunStatuses.Succeeded}', error = NULL, finished_at = now(), updated_at = now(), lease_owner = NULL,
            lease_expires_at = NULL, current_step = NULL
        WHERE id = $1 AND lease_owner = $2
        RETURNING {EndedColumns}
        """;

    private const string ReleaseSql = $"""
        UPDATE workflow_runs SET status = '{RunStatuses.Queued}', next_attempt_at = now() + make_interval(secs => $3), error = coalesce($4, error),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2
        """;

    /// <summary>
    /// Claims one run of <paramref name="workflows"/> for <paramref name="owner"/>: a running run whose lease expired
    /// first, else the oldest due queued run whose concurrency group has no live run. Null when there is none. No step
    /// is started (<see cref="ClaimedRun.FirstStepRunId"/> is null).
    /// </summary>
    public async Task<ClaimedRun?> ClaimAsync(string owner, TimeSpan lease, string[] workflows, CancellationToken cancellationToken)
    {
        var claimed = await ClaimBatchAsync([owner], lease, workflows, new string?[workflows.Length], cancellationToken);
        return claimed.Count == 0 ? null : claimed[0].Run;
    }

    /// <summary>
    /// Claims up to one run per owner in one statement (one round trip, one commit), as <see cref="ClaimAsync"/> chooses
    /// them: runs whose lease expired, else the oldest due queued runs, at most one per concurrency group. Each run is
    /// returned with the owner that now holds it (the first runs go to the first owners). A run claimed for the first
    /// time and not asked to stop has the first attempt of its first step (<paramref name="firstSteps"/>[i], of
    /// <paramref name="workflows"/>[i]) started by the same statement: <see cref="ClaimedRun.FirstStepRunId"/>.
    /// </summary>
    public Task<List<(ClaimedRun Run, string Owner)>> ClaimBatchAsync(
        string[] owners, TimeSpan lease, string[] workflows, string?[] firstSteps, CancellationToken cancellationToken) =>
        QueryAsync(ClaimSql, [owners, lease.TotalSeconds, workflows, owners.Length, firstSteps], reader =>
        {
            using var input = JsonDocument.Parse(reader.GetString(2));
            return (new ClaimedRun(reader.GetGuid(0), reader.GetString(1), input.RootElement.Clone(), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6))
            {
                FirstStepRunId = reader.IsDBNull(8) ? null : reader.GetInt64(8),
            }, reader.GetString(7));
        }, cancellationToken);

    /// <summary>Renews <paramref name="owner"/>'s lease on a running run: null when it no longer holds it, else whether a cancel was requested.</summary>
    public async Task<bool?> RenewLeaseAsync(Guid runId, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        (bool?)await ScalarAsync(RenewLeaseSql, [runId, owner, lease.TotalSeconds], cancellationToken);

    /// <summary>The run's attempts so far. Attempts left running belong to a worker that vanished: they are marked abandoned, and count.</summary>
    public async Task<StepHistory> StepHistoryAsync(Guid runId, CancellationToken cancellationToken)
    {
        await NonQueryAsync(AbandonSql, [runId], cancellationToken);
        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (step, status) in await QueryAsync(HistorySql, [runId], r => (r.GetString(0), r.GetString(1)), cancellationToken))
        {
            if (status == WorkflowStepStatus.Succeeded)
            {
                succeeded.Add(step);
            }

            attempts[step] = attempts.GetValueOrDefault(step) + 1;
        }

        return new StepHistory(succeeded, attempts);
    }

    /// <summary>
    /// The claimed run's attempts so far: none, without a round trip, when this is its first claim (no worker started a
    /// step of it before: every claim counts in <see cref="ClaimedRun.Attempt"/>, and steps start only after one).
    /// </summary>
    public Task<StepHistory> StepHistoryAsync(ClaimedRun run, CancellationToken cancellationToken) =>
        run.Attempt <= 1 ? Task.FromResult(new StepHistory(new HashSet<string>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal)))
            : StepHistoryAsync(run.Id, cancellationToken);

    /// <summary>Records the start of an attempt of a claimed run's step (and makes it the run's current step, if the owner still holds it).</summary>
    public async Task<long> StartClaimedStepAsync(Guid runId, string owner, string step, int attempt, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(StartClaimedStepSql, [runId, step, attempt, owner], cancellationToken))!;

    /// <summary>Ends the run with <paramref name="status"/>, if <paramref name="owner"/> still holds it.</summary>
    public async Task FinishAsync(Guid runId, string owner, string status, string? error, CancellationToken cancellationToken) =>
        RecordEnded(await QueryAsync(FinishSql, [runId, owner, status, Text(error)], ReadEnded, cancellationToken));

    /// <summary>
    /// The run's last step succeeded: ends that attempt (<paramref name="stepRunId"/>) and the run as succeeded, in one
    /// round trip; the run only if <paramref name="owner"/> still holds it.
    /// </summary>
    public async Task FinishSucceededAsync(Guid runId, string owner, long stepRunId, CancellationToken cancellationToken) =>
        RecordEnded(await QueryAsync(FinishWithStepSql, [runId, owner, stepRunId], ReadEnded, cancellationToken));

    /// <summary>Puts a run <paramref name="owner"/> holds back in the queue, due after <paramref name="delay"/> (a retry's backoff, or at once).</summary>
    public Task ReleaseAsync(Guid runId, string owner, TimeSpan delay, string? error, CancellationToken cancellationToken) =>
        NonQueryAsync(ReleaseSql, [runId, owner, delay.TotalSeconds, Text(error)], cancellationToken);
}
