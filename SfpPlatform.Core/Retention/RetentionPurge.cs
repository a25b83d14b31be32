using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Retention;

/// <summary>What a purge deleted or emptied (or, in a dry run, would).</summary>
public sealed record PurgeResult(long Runs, long Deliveries, long AuditEntries, long CredentialAudit)
{
    /// <summary>Delivery bodies emptied in rows the purge keeps (a delivery it deletes counts in <see cref="Deliveries"/> only).</summary>
    public long Bodies { get; init; }

    /// <summary>Log lines of finished runs deleted, in batches of lines before any run goes (a run's own delete then cascades only to lines younger than <see cref="RetentionOptions.Logs"/>).</summary>
    public long LogLines { get; init; }
}

/// <summary>
/// Deletes what <see cref="RetentionOptions"/> no longer keeps, oldest first, in batches of
/// <see cref="RetentionOptions.BatchSize"/> (each its own statement, so a purge of a large backlog never holds long locks
/// against the intake) with <see cref="RetentionOptions.BatchPause"/> between them. Each row gets the one statement
/// that matters: log lines past <see cref="RetentionOptions.Logs"/> go first, in batches of lines (so a run deleted
/// later cascades to few or none); then finished runs, then the deliveries no run points to any longer; only the
/// deliveries left then have their bodies emptied after <see cref="RetentionOptions.Bodies"/> (a delivery that goes is
/// deleted, never first emptied). Runs go through <see cref="WorkflowRunStore"/>.
/// </summary>
public sealed class RetentionPurge(SfpDbContext db, WorkflowRunStore runs, TimeProvider time)
{
    public async Task<PurgeResult> PurgeAsync(RetentionOptions options, bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var bodyCutoff = now - options.Bodies;
        var logCutoff = now - options.Logs;
        var runCutoff = now - options.Runs;
        var deliveryCutoff = now - options.Deliveries;
        var auditCutoff = now - options.Audit;

        if (dryRun)
        {
            // What the steps below will do, in their order: a delivery goes once the runs pointing to it are purged,
            // and only a delivery that stays has its body emptied.
            var deliveries = (await db.Database.SqlQueryRaw<DeliveryCounts>($"""
                SELECT count(*) FILTER (WHERE d.received_at < @deliveries AND NOT {WorkflowRunStore.DeliveryKeepsARunSql}) AS deliveries,
                       count(*) FILTER (WHERE d.received_at < @bodies AND octet_length(d.body) > 0
                                        AND (d.received_at >= @deliveries OR {WorkflowRunStore.DeliveryKeepsARunSql})) AS bodies
                FROM webhook_deliveries d WHERE d.received_at < greatest(@deliveries, @bodies)
                """,
                [new NpgsqlParameter("deliveries", deliveryCutoff), new NpgsqlParameter("bodies", bodyCutoff), new NpgsqlParameter("cutoff", runCutoff)])
                .ToListAsync(cancellationToken))[0];
            return new PurgeResult(
                await runs.CountPurgeableAsync(runCutoff, cancellationToken),
                deliveries.Deliveries,
                await db.AuditEntries.LongCountAsync(a => a.At < auditCutoff, cancellationToken),
                await db.CredentialAudit.LongCountAsync(a => a.At < auditCutoff, cancellationToken))
            {
                Bodies = deliveries.Bodies,
                LogLines = await runs.CountPurgeableLogsAsync(logCutoff, cancellationToken),
            };
        }

        long bodyCount = 0, logCount = 0, runCount = 0, deliveryCount = 0, auditCount = 0, credentialCount = 0;
        var batchSize = options.BatchSize;
        int deleted;

        do
        {
            deleted = await runs.PurgeLogsAsync(logCutoff, batchSize, cancellationToken);
            logCount += deleted;
            progress?.Report($"log lines: {logCount} deleted");
        }
        while (await MoreAsync(deleted));

        do
        {
            deleted = await runs.PurgeFinishedAsync(runCutoff, batchSize, cancellationToken);
            runCount += deleted;
            progress?.Report($"runs: {runCount} deleted");
        }
        while (await MoreAsync(deleted));

        do
        {
            deleted = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT d.id FROM webhook_deliveries d
                    WHERE d.received_at < {deliveryCutoff} AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.delivery_id = d.id)
                    ORDER BY d.received_at LIMIT {batchSize})
                """, cancellationToken);
            deliveryCount += deleted;
            progress?.Report($"deliveries: {deliveryCount} deleted");
        }
        while (await MoreAsync(deleted));

        // Bodies are emptied, not deleted, so the walk goes forward through (received_at, id) instead of starting again
        // from the oldest row, which would step over every body emptied before.
        var after = (At: DateTimeOffset.MinValue, Id: Guid.Empty);
        BodyBatch batch;
        do
        {
            // A data-modifying WITH must stay at the top level: the query is not composed (ToList, not Single).
            batch = (await db.Database.SqlQuery<BodyBatch>($"""
                WITH batch AS (
                    SELECT id, received_at FROM webhook_deliveries
                    WHERE received_at < {bodyCutoff} AND (received_at, id) > ({after.At}, {after.Id})
                    ORDER BY received_at, id LIMIT {batchSize}),
                emptied AS (
                    UPDATE webhook_deliveries d SET body = ''::bytea FROM batch
                    WHERE d.id = batch.id AND octet_length(d.body) > 0 RETURNING d.id)
                SELECT (SELECT count(*) FROM batch) AS scanned, (SELECT count(*) FROM emptied) AS emptied,
                       last.received_at AS last_at, last.id AS last_id
                FROM (SELECT NULL) AS one LEFT JOIN LATERAL
                    (SELECT received_at, id FROM batch ORDER BY received_at DESC, id DESC LIMIT 1) AS last ON true
                """).ToListAsync(cancellationToken))[0];
            bodyCount += batch.Emptied;
            after = (batch.LastAt ?? after.At, batch.LastId ?? after.Id);
            progress?.Report($"bodies: {bodyCount} emptied");
        }
        while (await MoreAsync((int)batch.Scanned));

        do
        {
            deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM audit_entries WHERE id IN (SELECT id FROM audit_entries WHERE at < {auditCutoff} ORDER BY at LIMIT {batchSize})", cancellationToken);
            auditCount += deleted;
        }
        while (await MoreAsync(deleted));

        do
        {
            deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM credential_audit WHERE id IN (SELECT id FROM credential_audit WHERE at < {auditCutoff} ORDER BY at LIMIT {batchSize})", cancellationToken);
            credentialCount += deleted;
        }
        while (await MoreAsync(deleted));

        progress?.Report($"audit: {auditCount + credentialCount} deleted");
        return new PurgeResult(runCount, deliveryCount, auditCount, credentialCount) { Bodies = bodyCount, LogLines = logCount };

        // A full batch means there may be more: pause (if configured) before the next one.
        async Task<bool> MoreAsync(int count)
        {
            if (count < batchSize)
            {
                return false;
            }

            if (options.BatchPause > TimeSpan.Zero)
            {
                await Task.Delay(options.BatchPause, time, cancellationToken);
            }

            return true;
        }
    }

    /// <summary>The dry run's delivery figures: rows the purge deletes, bodies it empties in the rows it keeps.</summary>
    private sealed class DeliveryCounts
    {
        public long Deliveries { get; set; }

        public long Bodies { get; set; }
    }

    /// <summary>One step of the body walk: rows looked at, bodies emptied, and where the next step starts.</summary>
    private sealed class BodyBatch
    {
        public long Scanned { get; set; }

        public long Emptied { get; set; }

        public DateTimeOffset? LastAt { get; set; }

        public Guid? LastId { get; set; }
    }
}
