using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// The intake's group commit: deliveries received at the same time are stored together — each delivery row and its
/// run row, for up to <see cref="MaxBatch"/> deliveries, in one transaction sent as one round trip — and each request
/// gets its answer only once that transaction committed. One commit (one WAL flush) then covers many deliveries
/// instead of one, and at most <see cref="Writers"/> connections write deliveries however many requests arrive.
/// <para>
/// Exactly once as before: the delivery's INSERT does nothing for a delivery id stored before (also earlier in the same
/// batch), and its run is inserted only if that delivery row was (and never twice for one idempotency key). A batch
/// that fails rolls back whole; its deliveries are retried one by one unless the database is unavailable, so one
/// delivery Postgres refuses fails alone, and every failed one is answered 503 with nothing stored.
/// </para>
/// </summary>
public sealed class DeliveryWriter : IAsyncDisposable
{
    /// <summary>Deliveries per transaction at most (about 1.5 MB of 23 KB bodies).</summary>
    public const int MaxBatch = 64;

    /// <summary>Transactions in flight at once: one fills while others commit.</summary>
    public const int Writers = 4;

    // A GitHub delivery whose redelivery the platform asked for (Recovery/DeliveryRecovery) is stored as recovered.
    private const string InsertDeliverySql = $$"""
        INSERT INTO webhook_deliveries (id, provider, delivery_id, event, action, repository, installation_id, organization,
                                        project_key, integration_id, received_at, headers, body, status, reason, workflow, recovered)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CAST($12 AS jsonb), $13, $14, $15, $16,
                $2 = '{{WebhookProviders.GitHub}}' AND EXISTS (SELECT 1 FROM github_redelivery_requests WHERE delivery_guid = $3))
        ON CONFLICT (provider, delivery_id) DO NOTHING
        RETURNING id
        """;

    private readonly IServiceScopeFactory _scopes;
    private readonly RunWakeNotifier _wake;
    private readonly GroupCommitBatcher<Record, Written> _batcher;

    public DeliveryWriter(IServiceScopeFactory scopes, RunWakeNotifier wake)
    {
        _scopes = scopes;
        _wake = wake;
        _batcher = new GroupCommitBatcher<Record, Written>(WriteAsync, MaxBatch, Writers, e => !DatabaseErrors.IsUnavailable(e));
    }

    /// <summary>Batches written and the deliveries in them (the mean batch size, for benchmarks).</summary>
    public (long Batches, long Items) BatchesWritten => _batcher.Written;

    /// <summary>A delivery row to store, with the run it causes (if routed).</summary>
    public sealed record Record(
        Guid Id, string Provider, string DeliveryId, string Event, string? Action, string? Repository, long? InstallationId,
        string? Organization, string? ProjectKey, Guid? IntegrationId, DateTimeOffset ReceivedAt, string HeadersJson, byte[] Body,
        string Status, string Reason, string? Workflow, Guid RunId, WorkflowTrigger? Run);

    /// <summary>What was stored: the delivery (false: a delivery with that id was stored before) and the run's id.</summary>
    public sealed record Written(bool Stored, Guid? RunId);

    /// <summary>Stores the delivery (and its run) with the others of its batch; completes once they committed.</summary>
    public Task<Written> StoreAsync(Record record, CancellationToken cancellationToken) => _batcher.SubmitAsync(record, cancellationToken);

    private async Task<IReadOnlyList<Written>> WriteAsync(IReadOnlyList<Record> records, CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<SfpDbContext>().Database;
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var record in records)
            {
                batch.BatchCommands.Add(InsertDelivery(record));
                if (record.Run is { } run)
                {
                    batch.BatchCommands.Add(WorkflowRunStore.EnqueueForDeliveryCommand(record.RunId, run, record.ReceivedAt));
                }
            }

            // Every statement returns its row or none, in order: the delivery's id if stored, then its run's id if added.
            var written = new List<Written>(records.Count);
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                foreach (var record in records)
                {
                    var stored = await reader.ReadAsync(cancellationToken);
                    await reader.NextResultAsync(cancellationToken);
                    Guid? runId = null;
                    if (record.Run is not null)
                    {
                        runId = await reader.ReadAsync(cancellationToken) ? reader.GetGuid(0) : null;
                        await reader.NextResultAsync(cancellationToken);
                    }

                    written.Add(new Written(stored, runId));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            if (written.Any(w => w.RunId is not null))
            {
                _wake.Notify();
            }

            return written;
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static NpgsqlBatchCommand InsertDelivery(Record r)
    {
        var command = new NpgsqlBatchCommand(InsertDeliverySql);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter { Value = r.Id });
        p.Add(Text(r.Provider));
        p.Add(Text(r.DeliveryId));
        p.Add(Text(r.Event));
        p.Add(Text(r.Action));
        p.Add(Text(r.Repository));
        p.Add(new NpgsqlParameter { Value = (object?)r.InstallationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(Text(r.Organization));
        p.Add(Text(r.ProjectKey));
        p.Add(new NpgsqlParameter { Value = (object?)r.IntegrationId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter { Value = r.ReceivedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(Text(r.HeadersJson));
        p.Add(new NpgsqlParameter { Value = r.Body, NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(Text(r.Status));
        p.Add(Text(r.Reason));
        p.Add(Text(r.Workflow));
        return command;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();
}
