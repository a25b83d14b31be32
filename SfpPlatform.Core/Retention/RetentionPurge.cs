using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Retention;

/// <summary>What a purge deleted (or, in a dry run, would delete).</summary>
public sealed record PurgeResult(long Runs, long Deliveries, long AuditEntries, long CredentialAudit);

/// <summary>
/// Deletes what <see cref="RetentionOptions"/> no longer keeps, oldest first, in batches of
/// <see cref="RetentionOptions.BatchSize"/> (each its own statement, so a purge of a large backlog never holds long locks
/// against the intake) with <see cref="RetentionOptions.BatchPause"/> between them. Runs go through <see cref="WorkflowRunStore"/>.
/// </summary>
public sealed class RetentionPurge(SfpDbContext db, WorkflowRunStore runs, TimeProvider time)
{
    public async Task<PurgeResult> PurgeAsync(RetentionOptions options, bool dryRun, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var runCutoff = now - options.Runs;
        var deliveryCutoff = now - options.Deliveries;
        var auditCutoff = now - options.Audit;

        if (dryRun)
        {
            return new PurgeResult(
                await runs.CountPurgeableAsync(runCutoff, cancellationToken),
                await db.Database.SqlQuery<long>($"""
                    SELECT count(*) AS "Value" FROM webhook_deliveries d
                    WHERE d.received_at < {deliveryCutoff} AND NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.delivery_id = d.id)
                    """).SingleAsync(cancellationToken),
                await db.AuditEntries.LongCountAsync(a => a.At < auditCutoff, cancellationToken),
                await db.CredentialAudit.LongCountAsync(a => a.At < auditCutoff, cancellationToken));
        }

        long runCount = 0, deliveryCount = 0, auditCount = 0, credentialCount = 0;
        var batchSize = options.BatchSize;
        int deleted;
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
        return new PurgeResult(runCount, deliveryCount, auditCount, credentialCount);

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
}
