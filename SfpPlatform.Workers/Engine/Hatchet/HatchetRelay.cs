using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>
/// The outbox relay: runs are written to <c>workflow_runs</c> in the caller's transaction (the webhook intake's
/// included), never depending on Hatchet being up; this relay hands each queued run to Hatchet afterwards
/// (<c>TriggerWorkflowRun</c>, with the run id, trace context, idempotency and concurrency keys as additional
/// metadata) and records Hatchet's run id. While Hatchet refuses, runs wait and the relay retries with backoff, so
/// an outage delays runs and loses none. A run relayed twice (a crash between trigger and record) is recognised by
/// the worker, which runs only the Hatchet run recorded here.
/// </summary>
internal sealed class HatchetRelay : BackgroundService
{
    private const int Batch = 32;

    private readonly NpgsqlDataSource _dataSource;
    private readonly WorkflowRunStore _store;
    private readonly HatchetConnection _hatchet;
    private readonly string[] _workflows;
    private readonly HatchetOptions _options;
    private readonly ResiliencePipeline _untilAccepted;
    private readonly WakeSignal _wake = new();
    private readonly EngineProgress _progress;

    /// <summary>The relay's loop in <see cref="EngineProgress"/>: it beats after each batch Hatchet accepted.</summary>
    public const string Loop = "hatchet/relay";

    public HatchetRelay(
        NpgsqlDataSource dataSource, [FromKeyedServices(StepExecutor.StoreKey)] WorkflowRunStore store, HatchetConnection hatchet,
        IEnumerable<WorkflowDefinition> workflows, IOptions<HatchetOptions> options, EngineProgress progress, ILogger<HatchetRelay> logger)
    {
        _progress = progress;
        _dataSource = dataSource;
        _store = store;
        _hatchet = hatchet;
        _workflows = [.. workflows.Select(w => w.Name)];
        _options = options.Value;
        _untilAccepted = HatchetRetries.Create(_options,
            e => e is RpcException or NpgsqlException or TimeoutException,
            (e, delay) => HatchetLog.RelayRefused(logger, HatchetRetries.Describe(e, _options, hatchet.Address), delay));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workflows.Length == 0)
        {
            return;
        }

        _progress.Register(Loop, EngineProgress.StallLimit(_options.RelayPollInterval, TimeSpan.FromSeconds(30)));
        _ = RunNotifications.ListenAsync(_dataSource, _wake.Set, _options.RelayPollInterval, _ => { }, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var signal = _wake.Next;
                var relayed = await _untilAccepted.ExecuteAsync(
                    async ct => await _store.RelayQueuedAsync(_workflows, Batch, TriggerAsync, ct), stoppingToken);
                _progress.Beat(Loop);
                if (relayed < Batch)
                {
                    await WakeSignal.WaitAsync(signal, _options.RelayPollInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<string> TriggerAsync(QueuedRun run, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string?>
        {
            [HatchetMetadata.RunId] = run.Id.ToString(),
            [HatchetMetadata.TraceParent] = run.TraceParent,
            [HatchetMetadata.TraceState] = run.TraceState,
            [HatchetMetadata.IdempotencyKey] = run.IdempotencyKey,
            // Every run has a concurrency key in Hatchet (its own id when it shares none), so the workflows'
            // CANCEL_IN_PROGRESS expression always evaluates.
            [HatchetMetadata.ConcurrencyKey] = run.ConcurrencyKey ?? run.Id.ToString(),
        };
        var response = await _hatchet.Admin.TriggerWorkflowRunAsync(new TriggerWorkflowRunRequest
        {
            WorkflowName = run.Workflow,
            Input = ByteString.CopyFromUtf8(run.Input),
            AdditionalMetadata = ByteString.CopyFromUtf8(JsonSerializer.Serialize(metadata)),
        }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        return response.ExternalId;
    }
}
