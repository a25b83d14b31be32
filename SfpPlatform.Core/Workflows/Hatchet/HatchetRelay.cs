using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// The outbox relay: runs are written to <c>workflow_runs</c> in the caller's transaction (the webhook intake's
/// included), never depending on Hatchet being up; this relay hands each queued run to Hatchet afterwards
/// (<c>TriggerWorkflowRun</c>, with the run id, trace context, idempotency and concurrency keys as additional
/// metadata) and records Hatchet's run id. While Hatchet refuses, runs wait and the relay retries with backoff, so
/// an outage delays runs and loses none. A run relayed twice (a crash between trigger and record) is recognised by
/// the worker, which runs only the Hatchet run recorded here.
/// </summary>
public sealed class HatchetRelay(
    NpgsqlDataSource dataSource, HatchetConnection hatchet, IEnumerable<WorkflowDefinition> workflows,
    IOptions<HatchetOptions> options, ILogger<HatchetRelay> logger) : BackgroundService
{
    private const int Batch = 32;

    private readonly string[] _workflows = [.. workflows.Select(w => w.Name)];
    private readonly HatchetOptions _options = options.Value;
    private readonly WakeSignal _wake = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workflows.Length == 0)
        {
            return;
        }

        _ = ListenAsync(stoppingToken);
        var backoff = _options.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var signal = _wake.Next;
                var relayed = await RelayBatchAsync(stoppingToken);
                backoff = _options.InitialBackoff;
                if (relayed < Batch)
                {
                    await WakeSignal.WaitAsync(signal, _options.RelayPollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or NpgsqlException or TimeoutException)
            {
                HatchetLog.RelayRefused(logger, e.Message, backoff);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Relays up to one batch of queued runs in one transaction: a refused trigger rolls back its batch's records.</summary>
    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var runs = new List<(Guid Id, string Workflow, string Input, string? Idempotency, string? Concurrency, string? TraceParent, string? TraceState)>();
        await using (var select = new NpgsqlCommand("""
            SELECT id, workflow, input::text, idempotency_key, concurrency_key, trace_parent, trace_state
            FROM workflow_runs
            WHERE status = 'queued' AND engine_run_id IS NULL AND NOT cancel_requested AND workflow = ANY($1)
            ORDER BY next_attempt_at, id
            LIMIT $2
            FOR UPDATE SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = _workflows });
            select.Parameters.Add(new NpgsqlParameter { Value = Batch });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6)));
            }
        }

        foreach (var run in runs)
        {
            var metadata = new Dictionary<string, string?>
            {
                [HatchetMetadata.RunId] = run.Id.ToString(),
                [HatchetMetadata.TraceParent] = run.TraceParent,
                [HatchetMetadata.TraceState] = run.TraceState,
                [HatchetMetadata.IdempotencyKey] = run.Idempotency,
                // Every run has a concurrency key in Hatchet (its own id when it shares none), so the workflows'
                // CANCEL_IN_PROGRESS expression always evaluates.
                [HatchetMetadata.ConcurrencyKey] = run.Concurrency ?? run.Id.ToString(),
            };
            var response = await hatchet.Admin.TriggerWorkflowRunAsync(new TriggerWorkflowRunRequest
            {
                WorkflowName = run.Workflow,
                Input = ByteString.CopyFromUtf8(run.Input),
                AdditionalMetadata = ByteString.CopyFromUtf8(JsonSerializer.Serialize(metadata)),
            }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

            await using var record = new NpgsqlCommand(
                "UPDATE workflow_runs SET engine_run_id = $2, updated_at = now() WHERE id = $1", connection, transaction);
            record.Parameters.Add(new NpgsqlParameter { Value = run.Id });
            record.Parameters.Add(new NpgsqlParameter { Value = response.ExternalId });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return runs.Count;
    }

    private Task ListenAsync(CancellationToken stoppingToken) => WorkflowRunNotifications.ListenAsync(
        dataSource, _wake.Set, _options.RelayPollInterval, _ => { }, stoppingToken);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>The additional metadata the platform gives each Hatchet run.</summary>
public static class HatchetMetadata
{
    public const string RunId = "sfp_run_id";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string IdempotencyKey = "sfp_idempotency_key";
    public const string ConcurrencyKey = "sfp_concurrency_key";
}

internal static partial class HatchetLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet refused the relay ({Reason}); retrying in {Backoff}")]
    public static partial void RelayRefused(ILogger logger, string reason, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet worker: {What} failed ({Reason}); retrying in {Backoff}")]
    public static partial void Retrying(ILogger logger, string what, string reason, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hatchet worker {WorkerId} registered with {Actions} actions")]
    public static partial void Registered(ILogger logger, string workerId, int actions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet step {Action} of run {RunId} failed: {Error}")]
    public static partial void StepFailed(ILogger logger, string action, Guid runId, string error);
}
