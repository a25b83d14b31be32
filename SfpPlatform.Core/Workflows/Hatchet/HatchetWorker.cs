using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// Runs the platform's workflows as a Hatchet worker: each workflow registered as a chain of tasks (one per step,
/// Hatchet's retries and backoff from the step's policy, a newer run of the same concurrency key cancelling the one
/// in progress); the worker registered with its actions and slots; assigned actions read from <c>ListenV2</c>
/// (reconnected with backoff when the stream drops); a heartbeat every 4 s; started / completed / failed events per
/// step (non-retryable failures say so); a running step's task timeout refreshed as its lease. Steps, their attempts
/// and logs are recorded in the platform database exactly as the embedded engine records them.
/// </summary>
public sealed class HatchetWorker(
    NpgsqlDataSource dataSource, HatchetConnection hatchet, IEnumerable<WorkflowDefinition> workflows, IServiceScopeFactory scopes,
    IOptions<HatchetOptions> options, ILogger<HatchetWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("SfpPlatform");

    private readonly IReadOnlyList<WorkflowDefinition> _workflows = [.. workflows];
    private readonly HatchetOptions _options = options.Value;
    private readonly WorkflowRecords _records = new(dataSource);
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<string, bool> _cancelledByEngine = new();
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private string _workerId = "";

    private Dictionary<string, (WorkflowDefinition Workflow, int Index)> Actions =>
        _workflows.SelectMany(w => w.Steps.Select((s, i) => (Id: HatchetOptions.ActionId(w.Name, s.Name), w, i)))
            .ToDictionary(a => a.Id, a => (a.w, a.i), StringComparer.Ordinal);

    /// <summary>The worker id Hatchet gave this process (empty until registered).</summary>
    public string WorkerId => _workerId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workflows.Count == 0)
        {
            return;
        }

        try
        {
            await RetryAsync("registering the workflows", RegisterWorkflowsAsync, stoppingToken);
            var actions = Actions;
            _workerId = await RetryAsync("registering the worker", ct => RegisterWorkerAsync(actions.Keys, ct), stoppingToken);
            HatchetLog.Registered(logger, _workerId, actions.Count);
            var heartbeat = HeartbeatAsync(stoppingToken);
            await ListenAsync(actions, stoppingToken);
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

    private async Task<bool> RegisterWorkflowsAsync(CancellationToken cancellationToken)
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
            await hatchet.Admin.PutWorkflowAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        }

        return true;
    }

    private async Task<string> RegisterWorkerAsync(IEnumerable<string> actions, CancellationToken cancellationToken)
    {
        var request = new WorkerRegisterRequest
        {
            WorkerName = _options.WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}",
            Slots = Math.Max(1, _options.Slots),
            RuntimeInfo = new RuntimeInfo { LanguageVersion = Environment.Version.ToString(), Os = Environment.OSVersion.Platform.ToString(), Extra = "sfp-platform .NET" },
        };
        request.Actions.Add(actions);
        request.Services.Add("default");
        var response = await hatchet.Dispatcher.RegisterAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
        return response.WorkerId;
    }

    /// <summary>Reads assigned actions; a dropped or refused stream is reopened after a backoff that doubles up to the maximum.</summary>
    private async Task ListenAsync(Dictionary<string, (WorkflowDefinition Workflow, int Index)> actions, CancellationToken stoppingToken)
    {
        var backoff = _options.InitialBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                using var call = hatchet.Dispatcher.ListenV2(new WorkerListenRequest { WorkerId = _workerId }, cancellationToken: stoppingToken);
                await foreach (var action in call.ResponseStream.ReadAllAsync(stoppingToken))
                {
                    backoff = _options.InitialBackoff;
                    Dispatch(action, actions, stoppingToken);
                }

                reason = "the stream ended";
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                reason = $"{e.StatusCode}: {e.Status.Detail}";
            }

            HatchetLog.Retrying(logger, "listening", reason, backoff);
            await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    private void Dispatch(AssignedAction action, Dictionary<string, (WorkflowDefinition Workflow, int Index)> actions, CancellationToken stoppingToken)
    {
        switch (action.ActionType)
        {
            case ActionType.CancelStepRun:
                _cancelledByEngine[action.TaskRunExternalId] = true;
                if (_running.TryGetValue(action.TaskRunExternalId, out var running))
                {
                    running.Cancel();
                }

                return;
            case ActionType.StartStepRun when actions.TryGetValue(action.ActionId, out var target):
                var task = Task.Run(() => RunStepAsync(action, target.Workflow, target.Index, stoppingToken), CancellationToken.None);
                _inFlight[task] = true;
                _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
                return;
            default:
                // An action this worker did not register: refuse it so Hatchet gives it to another worker.
                _ = SendAsync(action, StepActionEventType.StepEventTypeFailed, $"this worker has no action '{action.ActionId}'", shouldNotRetry: false, stoppingToken);
                return;
        }
    }

    private async Task RunStepAsync(AssignedAction action, WorkflowDefinition workflow, int index, CancellationToken stoppingToken)
    {
        var step = workflow.Steps[index];
        var metadata = ParseObject(action.AdditionalMetadata);
        if (!Guid.TryParse(metadata.GetValueOrDefault(HatchetMetadata.RunId), out var runId))
        {
            await SendAsync(action, StepActionEventType.StepEventTypeFailed, "the run carries no sfp_run_id metadata", shouldNotRetry: true, stoppingToken);
            return;
        }

        ActivityContext.TryParse(metadata.GetValueOrDefault(HatchetMetadata.TraceParent), metadata.GetValueOrDefault(HatchetMetadata.TraceState), out var parent);
        using var activity = Source.StartActivity($"step {step.Name}", ActivityKind.Consumer, parent);
        activity?.SetTag("sfp.run.id", runId);
        activity?.SetTag("sfp.workflow", workflow.Name);
        activity?.SetTag("hatchet.task_run_id", action.TaskRunExternalId);

        // Only the Hatchet run the relay recorded runs the platform's run, and only while it is live.
        var skip = await SkipReasonAsync(runId, action.WorkflowRunId, stoppingToken);
        if (skip is not null)
        {
            await SendAsync(action, StepActionEventType.StepEventTypeCompleted, JsonSerializer.Serialize(new { skipped = skip }), shouldNotRetry: null, stoppingToken);
            return;
        }

        await SendAsync(action, StepActionEventType.StepEventTypeStarted, "", shouldNotRetry: null, stoppingToken);
        var attempt = action.RetryCount + 1;
        var stepRunId = await StartStepAsync(runId, step.Name, attempt, stoppingToken);

        using var timeout = new CancellationTokenSource(step.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        _running[action.TaskRunExternalId] = linked;
        using var refreshStop = new CancellationTokenSource();
        var refresh = RefreshAsync(action.TaskRunExternalId, refreshStop.Token);
        Exception? failure = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var input = ParseInput(action.ActionPayload);
            var context = new StepContext(runId, workflow.Name, step.Name, attempt, input, scope.ServiceProvider,
                line => _records.AppendLogAsync(runId, step.Name, line, CancellationToken.None), linked.Token);
            await step.Run(context);
            linked.Token.ThrowIfCancellationRequested();
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            await refreshStop.CancelAsync();
            await refresh;
            _running.TryRemove(action.TaskRunExternalId, out _);
        }

        await FinishStepAsync(action, workflow, index, runId, stepRunId, failure, timeout.IsCancellationRequested, stoppingToken);
        activity?.SetStatus(failure is null ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
    }

    private async Task FinishStepAsync(
        AssignedAction action, WorkflowDefinition workflow, int index, Guid runId, long stepRunId, Exception? failure, bool timedOut, CancellationToken stoppingToken)
    {
        var step = workflow.Steps[index];
        var last = index == workflow.Steps.Count - 1;
        if (failure is null)
        {
            await _records.EndStepAsync(stepRunId, "succeeded", null, CancellationToken.None);
            await UpdateRunAsync(runId, last ? WorkflowRunStatus.Succeeded : WorkflowRunStatus.Running, null, last);
            await SendAsync(action, StepActionEventType.StepEventTypeCompleted, JsonSerializer.Serialize(new { step = step.Name, succeeded = true }), null, CancellationToken.None);
            return;
        }

        if (_cancelledByEngine.TryRemove(action.TaskRunExternalId, out _))
        {
            // Hatchet cancelled it (the run was cancelled, or a newer run of its concurrency key superseded it).
            await _records.EndStepAsync(stepRunId, "cancelled", "cancelled", CancellationToken.None);
            await UpdateRunAsync(runId, WorkflowRunStatus.Cancelled, "cancelled (or superseded by a newer run)", finished: true);
            return;
        }

        if (stoppingToken.IsCancellationRequested && !timedOut)
        {
            // This process is shutting down: Hatchet gives the task to another worker once its lease lapses.
            await _records.EndStepAsync(stepRunId, "released", "worker shutting down", CancellationToken.None);
            return;
        }

        var error = WorkflowRecords.Error(failure, timedOut, step.Timeout);
        var retryable = (timedOut || step.Retry.IsRetryable(failure)) && action.RetryCount + 1 < step.Retry.Attempts;
        HatchetLog.StepFailed(logger, action.ActionId, runId, error);
        await _records.EndStepAsync(stepRunId, timedOut ? "timed-out" : "failed", error, CancellationToken.None);
        await UpdateRunAsync(runId, retryable ? WorkflowRunStatus.Queued : WorkflowRunStatus.Failed, $"step {step.Name}: {error}", finished: !retryable);
        await SendAsync(action, StepActionEventType.StepEventTypeFailed, error, shouldNotRetry: !retryable, CancellationToken.None);
    }

    /// <summary>Why a Hatchet run must not run the platform's run: it is not the one relayed, or the run has ended.</summary>
    private async Task<string?> SkipReasonAsync(Guid runId, string hatchetRunId, CancellationToken cancellationToken)
    {
        await using var command = _records.Command("SELECT status, engine_run_id, cancel_requested FROM workflow_runs WHERE id = $1", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return "the platform has no such run";
        }

        var status = reader.GetString(0);
        var recorded = reader.IsDBNull(1) ? null : reader.GetString(1);
        return recorded is not null && recorded != hatchetRunId ? $"a duplicate of Hatchet run {recorded}"
            : status is WorkflowRunStatus.Succeeded or WorkflowRunStatus.Failed or WorkflowRunStatus.Cancelled ? $"the run has already {status}"
            : reader.GetBoolean(2) ? "the run was cancelled"
            : null;
    }

    private async Task<long> StartStepAsync(Guid runId, string step, int attempt, CancellationToken cancellationToken)
    {
        await using var command = _records.Command("""
            WITH current AS (
                UPDATE workflow_runs SET status = 'running', current_step = $2, attempt = attempt + 1,
                    started_at = coalesce(started_at, now()), updated_at = now()
                WHERE id = $1)
            INSERT INTO workflow_step_runs (run_id, step, attempt, status, worker, started_at)
            VALUES ($1, $2, $3, 'running', $4, now()) RETURNING id
            """, runId, step, attempt, $"hatchet:{_workerId}");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task UpdateRunAsync(Guid runId, string status, string? error, bool finished)
    {
        await using var command = _records.Command("""
            UPDATE workflow_runs SET status = $2, error = coalesce($3, error), updated_at = now(),
                finished_at = CASE WHEN $4 THEN now() ELSE finished_at END,
                current_step = CASE WHEN $2 = 'succeeded' THEN NULL ELSE current_step END
            WHERE id = $1 AND status NOT IN ('succeeded', 'failed', 'cancelled')
            """, runId, status, new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }, finished);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Extends the running task's timeout every third of the lease, so Hatchet retries it only if this worker vanishes.</summary>
    private async Task RefreshAsync(string taskRunId, CancellationToken stop)
    {
        var interval = _options.TaskLease / 3;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(interval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await hatchet.Dispatcher.RefreshTimeoutAsync(new RefreshTimeoutRequest
                {
                    TaskRunExternalId = taskRunId,
                    IncrementTimeoutBy = HatchetOptions.Duration(_options.TaskLease),
                }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop);
            }
            catch (RpcException)
            {
                // The next refresh tries again; the lease outlives two missed ones.
            }
        }
    }

    /// <summary>A heartbeat every <see cref="HatchetOptions.HeartbeatInterval"/>, the first at once; stops if the engine does not know the call.</summary>
    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await hatchet.Dispatcher.HeartbeatAsync(new HeartbeatRequest { WorkerId = _workerId, HeartbeatAt = Timestamp.FromDateTime(DateTime.UtcNow) },
                    deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: stoppingToken);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                return;
            }
            catch (RpcException)
            {
                // Missed beats are tolerated; the stream's reconnect deals with a lost engine.
            }

            await Task.Delay(_options.HeartbeatInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Sends a step event, retrying a refused send up to five times with backoff.</summary>
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

        var backoff = _options.InitialBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await hatchet.Dispatcher.SendStepActionEventAsync(message, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken);
                return;
            }
            catch (RpcException e) when (attempt < 5 && e.StatusCode != StatusCode.Cancelled)
            {
                HatchetLog.Retrying(logger, $"sending {type}", e.Status.Detail, backoff);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    private async Task<T> RetryAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken stoppingToken)
    {
        var backoff = _options.InitialBackoff;
        while (true)
        {
            try
            {
                return await call(stoppingToken);
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                HatchetLog.Retrying(logger, what, $"{e.StatusCode}: {e.Status.Detail}", backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            }
        }
    }

    private async Task ShutdownAsync()
    {
        await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_workerId.Length > 0)
        {
            try
            {
                await hatchet.Dispatcher.UnsubscribeAsync(new WorkerUnsubscribeRequest { WorkerId = _workerId }, deadline: DateTime.UtcNow.AddSeconds(5));
            }
            catch (RpcException)
            {
                // Hatchet notices the missing heartbeats instead.
            }
        }
    }

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
