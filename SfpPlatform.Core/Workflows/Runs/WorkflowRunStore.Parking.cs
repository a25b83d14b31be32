using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Core.Workflows.Runs;

// Parking: a step that must wait for something outside the run (an approval, a lock, a timer) ends its attempt with
// StepWaitingException; the engine parks the run here — status waiting, no lease, no worker, nothing in memory — and
// whoever ends the wait resumes it. A resumed run is queued again and runs its steps from the first not yet succeeded
// (on Hatchet: the relay hands it to Hatchet as a new Hatchet run, since the parked one has ended).
public sealed partial class WorkflowRunStore
{
    // A resume that came first (resume_requested) or a wait with a due time queues the run instead of parking it.
    private const string ParkSql = $"""
        UPDATE workflow_runs
        SET status = CASE WHEN resume_requested OR $3::timestamptz IS NOT NULL THEN '{RunStatuses.Queued}' ELSE '{RunStatuses.Waiting}' END,
            next_attempt_at = CASE WHEN resume_requested THEN now() ELSE coalesce($3::timestamptz, now()) END,
            resume_requested = false, error = $4, lease_owner = NULL, lease_expires_at = NULL, engine_run_id = NULL, updated_at = now()
        WHERE id = $1 AND ($2::text IS NULL OR lease_owner = $2) AND status = '{RunStatuses.Running}'
        RETURNING status
        """;

    private const string ResumeSql = $"""
        WITH resumed AS (
            UPDATE workflow_runs
            SET status = CASE WHEN status = '{RunStatuses.Waiting}' THEN '{RunStatuses.Queued}' ELSE status END,
                next_attempt_at = CASE WHEN status = '{RunStatuses.Running}' THEN next_attempt_at ELSE now() END,
                resume_requested = (status = '{RunStatuses.Running}'), updated_at = now()
            WHERE id = $1 AND status IN ('{RunStatuses.Waiting}', '{RunStatuses.Queued}', '{RunStatuses.Running}')
            RETURNING workflow)
        SELECT count(*) FROM resumed CROSS JOIN LATERAL (SELECT pg_notify('{Channel}', resumed.workflow)) n
        """;

    /// <summary>
    /// Parks a running run (held by <paramref name="owner"/>, or any when null: an external engine's worker): waiting
    /// until resumed, or queued again at <paramref name="resumeAt"/>. Returns the run's status now (null when it was
    /// not running, or not held by the owner).
    /// </summary>
    public async Task<string?> ParkAsync(Guid runId, string? owner, DateTimeOffset? resumeAt, string reason, CancellationToken cancellationToken) =>
        (string?)await ScalarAsync(ParkSql, [runId, Text(owner), new Npgsql.NpgsqlParameter { Value = (object?)resumeAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz }, Clip(reason)], cancellationToken);

    /// <summary>
    /// Resumes a parked run (queued now, the workers woken); a run still running is marked to be queued again the moment
    /// it parks; a queued one is made due now. False when the run has ended (or does not exist). Joins the caller's
    /// transaction, so a decision and the resume commit together.
    /// </summary>
    public async Task<bool> ResumeAsync(Guid runId, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(ResumeSql, [runId], cancellationToken))! > 0;
}
