using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;
using SfpPlatform.Core.Workflows.Hatchet.Schedules;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>
/// Runs the platform's workflows as a Hatchet worker: each workflow registered as a chain of tasks (one per step,
/// Hatchet's retries and backoff from the step's policy, a newer run of the same concurrency key cancelling the one
/// in progress); the worker registered with its actions and slots (again whenever Hatchet no longer knows it); assigned
/// actions read from <c>ListenV2</c> (reopened with backoff when the stream drops); a heartbeat every 4 s; started /
/// completed / failed events per step (non-retryable failures say so). Each step runs through the
/// <see cref="StepExecutor"/>, which records its attempts and logs exactly as for the embedded engine, while its
/// task's timeout is refreshed as its lease (and the platform's record is checked for a cancel Hatchet was not told of).
/// It also listens for <see cref="HatchetSchedules.FireAction"/>, the task of every schedule's workflow Hatchet's cron
/// triggers fire (<see cref="HatchetScheduleFire"/>).
/// </summary>
internal sealed class HatchetWorker : BackgroundService
{
    private readonly HatchetConnection _hatchet;
    private readonly WorkflowRunStore _store;
    private readonly StepExecutor _executor;
    private readonly HatchetScheduleFire _scheduleFire;
    private readonly IReadOnlyList<WorkflowDefinition> _workflows;
    private readonly Dictionary<string, (WorkflowDefinition Workflow, int Index)> _actions;
    private readonly HatchetOptions _options;
    private readonly ILogger<HatchetWorker> _logger;
    private readonly EngineProgress _progress;
    private readonly ResiliencePipeline _registering;
    private readonly ResiliencePipeline _listening;
    private readonly ResiliencePipeline _sending;
    // The leases of the steps running here, by task run id: a retry of a task keeps its id, so an entry is removed only
    // together with its own lease.
    private readonly ConcurrentDictionary<string, Lease> _running = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private readonly SemaphoreSlim _registration = new(1, 1);
    private volatile string _workerId = "";

    // Cancelled when the worker registers again, so the stream is reopened under the new id.
    private CancellationTokenSource _session = new();

    public HatchetWorker(
        HatchetConnection hatchet, [FromKeyedServices(StepExecutor.StoreKey)] WorkflowRunStore store, StepExecutor executor,
        HatchetScheduleFire scheduleFire, IEnumerable<WorkflowDefinition> workflows, IOptions<HatchetOptions> options, EngineProgress progress, ILogger<HatchetWorker> logger)
    {
        _progress = progress;
        _progress.CountBusySlots(() => _inFlight.Count);
        _hatchet = hatchet;
        _store = store;
        _executor = executor;
        _scheduleFire = scheduleFire;
        _workflows = [.. workflows];
        _actions = _workflows.SelectMany(w => w.Steps.Select((s, i) => (Id: HatchetOptions.ActionId(w.Name, s.Name), w, i)))
            .ToDictionary(a => a.Id, a => (a.w, a.i), StringComparer.Ordinal);
        _options = options.Value;
        _logger = logger;
        _registering = Retries("registering", e => e is RpcException);
        _listening = Retries("listening", e => e is RpcException);
        _sending = Retries("sending a step event", e => e is RpcException { StatusCode: not StatusCode.Cancelled }, retries: 4);
    }

    /// <summary>The loop whose accepted heartbeats show Hatchet reachable (<see cref="EngineProgress"/>).</summary>
    public const string HeartbeatLoop = "hatchet/heartbeat";

    /// <summary>The worker id Hatchet gave this process (empty until registered).</summary>
    public string WorkerId => _workerId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workflows.Count == 0)
        {
            return;
        }

        // Watched from the start: a Hatchet that cannot be reached at start-up is a stall too.
        _progress.Register(HeartbeatLoop, EngineProgress.StallLimit(_options.HeartbeatInterval, TimeSpan.FromSeconds(30)));
        try
        {
            await RegisterAsync(stoppingToken);
            var heartbeat = HeartbeatAsync(stoppingToken);
            await ListenAsync(stoppingToken);
            await heartbeat;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ShutdownAsync();
        }
    }

    /// <summary>Registers the workflows, then this worker with its actions (each retried until Hatchet accepts it).</summary>
    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        await _registering.ExecuteAsync(async ct => await RegisterWorkflowsAsync(ct), cancellationToken);
        _workerId = await _registering.ExecuteAsync(async ct => await RegisterWorkerAsync(ct), cancellationToken);
        HatchetLog.Registered(_logger, _workerId, _options.EffectiveWorkerName, _actions.Count + 1);
    }

    /// <summary>
    /// Hatchet answered that it does not know worker <paramref name="staleId"/> (its row is gone): registers again —
    /// once, however many calls noticed — and has the stream reopened under the new id.
    /// </summary>
    private async Task RegisterAgainAsync(string staleId, CancellationToken cancellationToken)
    {
        await _registration.WaitAsync(cancellationToken);
        try
        {
            if (_workerId != staleId)
            {
                return;
            }

            HatchetLog.WorkerGone(_logger, staleId);
            await RegisterAsync(cancellationToken);
            await Interlocked.Exchange(ref _session, new CancellationTokenSource()).CancelAsync();
        }
        finally
        {
            _registration.Release();
        }
    }

    private async Task RegisterWorkflowsAsync(CancellationToken cancellationToken)
    {
        foreach (var workflow in _workflows)
        {
            var request = new CreateWorkflowVersionRequest { Name = workflow.Name, Description = $"sfp platform workflow {workflow.Name}" };
            string? previous = null;
            foreach (var step in workflow.Steps)
            {
                var task = new CreateTaskOpts
                {
                    ReadableId = step.Name,
                    Action = HatchetOptions.ActionId(workflow.Name, step.Name),
                    Timeout = HatchetOptions.Duration(_options.TaskLease),
                    Inputs = "{}",
                    Retries = Math.Max(0, step.Retry.Attempts - 1),
                    BackoffFactor = 2,
                    BackoffMaxSeconds = (int)Math.Max(1, step.Retry.MaxBackoff.TotalSeconds),
                };
                if (previous is not null)
                {
                    task.Parents.Add(previous);
                }

                request.Tasks.Add(task);
                previous = step.Name;
            }

            request.ConcurrencyArr.Add(new Concurrency
            {
                Expression = $"additional_metadata.{HatchetMetadata.ConcurrencyKey}",
                MaxRuns = 1,
                LimitStrategy = ConcurrencyLimitStrategy.CancelInProgress,
            });
            await _hatchet.Admin.PutWorkflowAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        }
    }

    private async Task<string> RegisterWorkerAsync(CancellationToken cancellationToken)
    {
        var request = new WorkerRegisterRequest
        {
            WorkerName = _options.EffectiveWorkerName,
            Slots = _options.Slots,
            RuntimeInfo = new RuntimeInfo { LanguageVersion = Environment.Version.ToString(), Os = Environment.OSVersion.Platform.ToString(), Extra = "sfp-platform .NET" },
        };
        request.Actions.Add(_actions.Keys);
        request.Actions.Add(HatchetSchedules.FireAction);
        request.Services.Add("default");
        var response = await _hatchet.Dispatcher.RegisterAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        return response.WorkerId;
    }

    /// <summary>Reads assigned actions; a stream that fails before it delivers anything is reopened after a growing backoff.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _listening.ExecuteAsync(async ct => await ListenOnceAsync(ct), stoppingToken);
        }
    }

    /// <summary>
    /// One <c>ListenV2</c> stream. Returns (to be reopened at once) when it ends after delivering actions, or when the
    /// worker registered again; throws when it fails before delivering anything, so the backoff grows while Hatchet is down.
    /// </summary>
    private async Task ListenOnceAsync(CancellationToken stoppingToken)
    {
        var workerId = _workerId;
        using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, Volatile.Read(ref _session).Token);
        var delivered = false;
        try
        {
            using var call = _hatchet.Dispatcher.ListenV2(new WorkerListenRequest { WorkerId = workerId }, cancellationToken: session.Token);
            await foreach (var action in call.ResponseStream.ReadAllAsync(session.Token))
            {
                delivered = true;
                Dispatch(action, stoppingToken);
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            await RegisterAgainAsync(workerId, stoppingToken);
            return;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException && session.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (RpcException) when (delivered && !stoppingToken.IsCancellationRequested)
        {
            return;
        }

        if (!delivered)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the stream ended before it delivered anything"));
        }
    }

    private void Dispatch(AssignedAction action, CancellationToken stoppingToken)
    {
        switch (action.ActionType)
        {
            case ActionType.CancelStepRun:
                if (_running.TryGetValue(action.TaskRunExternalId, out var running))
                {
                    running.Cancel();
                }

                return;
            case ActionType.StartStepRun when _actions.TryGetValue(action.ActionId, out var target):
                // The lease exists before the step runs, so a cancel that follows at once finds it.
                var lease = new Lease();
                _running[action.TaskRunExternalId] = lease;
                var task = Task.Run(() => RunStepAsync(action, target.Workflow, target.Index, lease, stoppingToken), CancellationToken.None);
                _inFlight[task] = true;
                _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
                return;
            case ActionType.StartStepRun when action.ActionId == HatchetSchedules.FireAction:
                var fire = Task.Run(() => FireScheduleAsync(action, stoppingToken), CancellationToken.None);
                _inFlight[fire] = true;
                _ = fire.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
                return;
            default:
                // An action this worker did not register: refuse it so Hatchet gives it to another worker.
                _ = RefuseAsync(action, stoppingToken);
                return;
        }
    }

    private async Task RefuseAsync(AssignedAction action, CancellationToken stoppingToken)
    {
        try
        {
            await SendAsync(action, StepActionEventType.StepEventTypeFailed, $"this worker has no action '{action.ActionId}'", shouldNotRetry: false, stoppingToken);
        }
        catch (RpcException e)
        {
            HatchetLog.Failed(_logger, $"refusing action {action.ActionId}", HatchetRetries.Describe(e, _options, _hatchet.Address));
        }
    }

    private async Task RunStepAsync(AssignedAction action, WorkflowDefinition workflow, int index, Lease lease, CancellationToken stoppingToken)
    {
        try
        {
            StepOutcome outcome;
            Guid runId;
            await using (lease)
            {
                var step = workflow.Steps[index];
                var metadata = ParseObject(action.AdditionalMetadata);
                if (!Guid.TryParse(metadata.GetValueOrDefault(HatchetMetadata.RunId), out runId))
                {
                    await SendAsync(action, StepActionEventType.StepEventTypeFailed, "the run carries no sfp_run_id metadata", shouldNotRetry: true, stoppingToken);
                    return;
                }

                // Only the Hatchet run the relay recorded runs the platform's run, and only while it is live.
                if (await SkipReasonAsync(runId, action.WorkflowRunId, stoppingToken) is { } skip)
                {
                    await SendAsync(action, StepActionEventType.StepEventTypeCompleted, JsonSerializer.Serialize(new { skipped = skip }), shouldNotRetry: null, stoppingToken);
                    return;
                }

                await SendAsync(action, StepActionEventType.StepEventTypeStarted, "", shouldNotRetry: null, stoppingToken);
                var attempt = action.RetryCount + 1;
                ActivityContext.TryParse(metadata.GetValueOrDefault(HatchetMetadata.TraceParent), metadata.GetValueOrDefault(HatchetMetadata.TraceState), out var parent);
                lease.Keep(_options.TaskLease / 3, (sinceRefreshed, ct) => RefreshAsync(action.TaskRunExternalId, runId, sinceRefreshed, ct));
                outcome = await _executor.RunAsync(
                    new StepAttempt(runId, workflow.Name, step, attempt, ParseInput(action.ActionPayload),
                        ct => _store.StartAssignedStepAsync(runId, $"hatchet:{_workerId}", step.Name, attempt, ct))
                    {
                        RemoteParent = parent,
                        Tags = [new("sfp.run.id", runId), new("sfp.workflow", workflow.Name), new("hatchet.task_run_id", action.TaskRunExternalId)],
                    },
                    lease, stoppingToken);
            }

            // The lease is let go (no more refreshes, no more cancels) before Hatchet hears how the step ended: its answer
            // may be the next attempt of the same task, with a lease of its own.
            _running.TryRemove(KeyValuePair.Create(action.TaskRunExternalId, lease));
            await FinishStepAsync(action, workflow, index, runId, outcome, lease.CancelledByEngine);
        }
        catch (Exception e) when (e is RpcException or NpgsqlException or TimeoutException)
        {
            HatchetLog.Failed(_logger, $"step {action.ActionId} of task {action.TaskRunExternalId}", HatchetRetries.Describe(e, _options, _hatchet.Address));
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(action.TaskRunExternalId, lease));
        }
    }

    /// <summary>A schedule's cron fired: its run started (or skipped), and Hatchet told how the task ended.</summary>
    private async Task FireScheduleAsync(AssignedAction action, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await _scheduleFire.RunAsync(ParseInput(action.ActionPayload), ParseObject(action.AdditionalMetadata), stoppingToken);
            await SendAsync(action, outcome.Completed ? StepActionEventType.StepEventTypeCompleted : StepActionEventType.StepEventTypeFailed,
                outcome.Payload, outcome.Completed ? null : outcome.ShouldNotRetry, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Not told: Hatchet retries the task once its timeout lapses, and the retry's idempotency key is the same.
            HatchetLog.Failed(_logger, $"schedule fire {action.TaskRunExternalId}", HatchetRetries.Describe(e, _options, _hatchet.Address));
        }
    }

    /// <summary>What an attempt's outcome means for the run's record and for Hatchet.</summary>
    private async Task FinishStepAsync(AssignedAction action, WorkflowDefinition workflow, int index, Guid runId, StepOutcome outcome, bool cancelledByEngine)
    {
        var last = index == workflow.Steps.Count - 1;
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Succeeded:
                await _store.SetRunStatusAsync(runId, last ? RunStatuses.Succeeded : RunStatuses.Running, null, last, CancellationToken.None);
                await SendAsync(action, StepActionEventType.StepEventTypeCompleted, JsonSerializer.Serialize(new { step = outcome.Step, succeeded = true }), null, CancellationToken.None);
                return;
            case StepOutcomeKind.Cancelled:
                await _store.SetRunStatusAsync(runId, RunStatuses.Cancelled, "cancelled (or superseded by a newer run)", finished: true, CancellationToken.None);
                if (!cancelledByEngine)
                {
                    // The cancel was noticed in the platform's record, not sent by Hatchet: end the task there too.
                    await SendAsync(action, StepActionEventType.StepEventTypeFailed, "cancelled in the platform", shouldNotRetry: true, CancellationToken.None);
                }

                return;
            case StepOutcomeKind.Parked:
                // Hatchet's run ends here (its task completed, saying so); the platform's run waits in workflow_runs with
                // no Hatchet run recorded. Resumed (or due), it is queued again and the relay hands it to Hatchet as a
                // new Hatchet run, which runs the steps not yet succeeded.
                await _store.ParkAsync(runId, null, outcome.ResumeAt, $"waiting: {outcome.Error}", CancellationToken.None);
                await SendAsync(action, StepActionEventType.StepEventTypeCompleted, JsonSerializer.Serialize(new { step = outcome.Step, parked = outcome.Error }), null, CancellationToken.None);
                return;
            case StepOutcomeKind.Released:
            case StepOutcomeKind.LeaseLost:
                // This process is shutting down: Hatchet gives the task to another worker once its lease lapses.
                return;
            default:
                var retry = outcome.Kind == StepOutcomeKind.Retry;
                await _store.SetRunStatusAsync(runId, retry ? RunStatuses.Queued : RunStatuses.Failed, outcome.RunError, finished: !retry, CancellationToken.None);
                await SendAsync(action, StepActionEventType.StepEventTypeFailed, outcome.Error!, shouldNotRetry: !retry, CancellationToken.None);
                return;
        }
    }

    /// <summary>Why a Hatchet run must not run the platform's run: it is not the one relayed, or the run has ended.</summary>
    private async Task<string?> SkipReasonAsync(Guid runId, string hatchetRunId, CancellationToken cancellationToken) =>
        await _store.RecordAsync(runId, cancellationToken) switch
        {
            null => "the platform has no such run",
            { EngineRunId: { } recorded } when recorded != hatchetRunId => $"a duplicate of Hatchet run {recorded}",
            { Status: var status } when RunStatuses.IsFinished(status) => $"the run has already {status}",
            { Status: RunStatuses.Waiting } => "the run is parked (a later Hatchet run resumes it)",
            { CancelRequested: true } => "the run was cancelled",
            _ => null,
        };

    /// <summary>
    /// Refreshes the running task's timeout by the time since the last refresh that got through: Hatchet ADDS the
    /// increment to the task's timeout, so it stays one lease ahead of now (refreshing by the whole lease each time
    /// would push it further out with every refresh). Then checks the platform's record for a cancel.
    /// </summary>
    private async Task<LeaseRenewal> RefreshAsync(string taskRunId, Guid runId, TimeSpan sinceRefreshed, CancellationToken cancellationToken)
    {
        try
        {
            await _hatchet.Dispatcher.RefreshTimeoutAsync(new RefreshTimeoutRequest
            {
                TaskRunExternalId = taskRunId,
                IncrementTimeoutBy = HatchetOptions.Milliseconds(sinceRefreshed),
            }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
        }
        catch (RpcException)
        {
            // The next refresh adds this interval too; the lease outlives two missed ones.
            return LeaseRenewal.Failed;
        }

        try
        {
            // A cancel Hatchet was not told of (the Api could not reach it) is in the platform's record.
            return await _store.RecordAsync(runId, cancellationToken) is { CancelRequested: true } ? LeaseRenewal.CancelRequested : LeaseRenewal.Held;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return LeaseRenewal.Held;
        }
    }

    /// <summary>
    /// A heartbeat every <see cref="HatchetOptions.HeartbeatInterval"/>, the first at once; stops if the engine does not
    /// know the call. NotFound means Hatchet no longer knows this worker: it registers again. FailedPrecondition (the
    /// stream is not active, e.g. while it is reopened) is harmless, as are missed beats.
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var workerId = _workerId;
            try
            {
                await _hatchet.Dispatcher.HeartbeatAsync(new HeartbeatRequest { WorkerId = workerId, HeartbeatAt = Timestamp.FromDateTime(DateTime.UtcNow) },
                    deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: stoppingToken);
                _progress.Beat(HeartbeatLoop);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                // An engine without heartbeats gives no such signal: not watched, rather than always stalled.
                _progress.Forget(HeartbeatLoop);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                await RegisterAgainAsync(workerId, stoppingToken);
                continue;
            }
            catch (RpcException)
            {
                // FailedPrecondition or a missed beat: the stream's reconnect deals with a lost engine.
            }

            await Task.Delay(_options.HeartbeatInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends a step event, retrying a refused send (five attempts in all).</summary>
    private async Task SendAsync(AssignedAction action, StepActionEventType type, string payload, bool? shouldNotRetry, CancellationToken cancellationToken)
    {
        var message = new StepActionEvent
        {
            WorkerId = _workerId,
            JobId = action.JobId,
            JobRunId = action.JobRunId,
            TaskId = action.TaskId,
            TaskRunExternalId = action.TaskRunExternalId,
            ActionId = action.ActionId,
            EventTimestamp = Timestamp.FromDateTime(DateTime.UtcNow),
            EventType = type,
            EventPayload = payload,
            RetryCount = action.RetryCount,
        };
        if (shouldNotRetry is { } value)
        {
            message.ShouldNotRetry = value;
        }

        await _sending.ExecuteAsync(
            async ct => await _hatchet.Dispatcher.SendStepActionEventAsync(message, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct),
            cancellationToken);
    }

    private async Task ShutdownAsync()
    {
        await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_workerId.Length > 0)
        {
            try
            {
                await _hatchet.Dispatcher.UnsubscribeAsync(new WorkerUnsubscribeRequest { WorkerId = _workerId }, deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (RpcException)
            {
                // Hatchet notices the missing heartbeats instead.
            }
        }
    }

    private ResiliencePipeline Retries(string what, Func<Exception, bool> handle, int retries = int.MaxValue) =>
        HatchetRetries.Create(_options, handle,
            (e, delay) => HatchetLog.Retrying(_logger, what, HatchetRetries.Describe(e, _options, _hatchet.Address), delay), retries);

    /// <summary>The workflow input from Hatchet's action payload (<c>{"input": {...}, "parents": {...}}</c>).</summary>
    private static JsonElement ParseInput(string payload)
    {
        using var document = JsonDocument.Parse(string.IsNullOrEmpty(payload) ? "{}" : payload);
        return document.RootElement.TryGetProperty("input", out var input) ? input.Clone() : document.RootElement.Clone();
    }

    private static Dictionary<string, string> ParseObject(string? json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json))
        {
            return values;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                values[property.Name] = property.Value.GetString()!;
            }
        }

        return values;
    }
}
