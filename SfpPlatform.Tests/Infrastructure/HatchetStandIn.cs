using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// An in-process Hatchet speaking its gRPC contract over plain HTTP/2 on loopback (as hatchet-lite with
/// <c>SERVER_GRPC_INSECURE=t</c>: a TLS client fails its handshake): it checks the bearer token on every call
/// (Unauthenticated otherwise), keeps registered workflows and workers, assigns a triggered run's tasks in order on the
/// worker's <c>ListenV2</c> stream with Hatchet's action payload (<c>{"input", "parents"}</c>), retries a failed task up
/// to its registered retries unless told not to, cancels the run in progress when a newer one shares its concurrency
/// key (CANCEL_IN_PROGRESS), and records every call. It refuses what Hatchet's validators refuse (commit 89d130f):
/// names outside <c>^[a-zA-Z0-9.\-_]+$</c>, action ids that are not <c>service:verb</c>, durations outside its
/// duration grammar, worker and task ids that are not UUIDs (InvalidArgument); it issues UUID worker ids and answers
/// NotFound for a worker it does not know (after <see cref="ForgetWorkers"/>, as after a database reset). Like Hatchet,
/// <c>RefreshTimeout</c> ADDS its increment to the task's timeout. It can refuse everything (an outage) and drop the streams.
/// Cron triggers are checked as Hatchet's validator checks them (<see cref="HatchetGrammar.IsCron"/>; a bad one is
/// InvalidArgument with Hatchet's message) and kept with the workflow's <c>cron_input</c>; a re-put replaces them (no
/// triggers: Hatchet no longer fires it). <see cref="FireCron"/> fires a registered cron trigger on demand, as Hatchet's
/// ticker does at the tick, so tests need not wait for real minutes.
/// </summary>
public sealed partial class HatchetStandIn : IAsyncDisposable
{
    private WebApplication _app = null!;
    private readonly System.Threading.Channels.Channel<AssignedAction> _queue = System.Threading.Channels.Channel.CreateUnbounded<AssignedAction>();
    private readonly object _gate = new();
    private CancellationTokenSource _streams = new();

    private HatchetStandIn(string tenantId, string token)
    {
        TenantId = tenantId;
        Token = token;
    }

    public string Token { get; }

    public string TenantId { get; }

    public int Port { get; private set; }

    /// <summary>While true every call is refused with UNAVAILABLE, as an engine that is down.</summary>
    public volatile bool Unavailable;

    /// <summary>Every call by rpc name, in order of arrival.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentDictionary<string, CreateWorkflowVersionRequest> Workflows { get; } = new();

    /// <summary>Every accepted PutWorkflow, in order (the latest per name is in <see cref="Workflows"/>).</summary>
    public ConcurrentQueue<CreateWorkflowVersionRequest> Puts { get; } = new();

    public ConcurrentQueue<WorkerRegisterRequest> Registrations { get; } = new();

    /// <summary>The workers Hatchet knows, by the UUID it issued (as its database rows).</summary>
    public ConcurrentDictionary<string, string> Workers { get; } = new();

    /// <summary>Every worker id issued, in order.</summary>
    public ConcurrentQueue<string> IssuedWorkerIds { get; } = new();

    public ConcurrentQueue<WorkerListenRequest> Listens { get; } = new();

    public ConcurrentQueue<(HeartbeatRequest Request, DateTime ReceivedAt)> Heartbeats { get; } = new();

    public ConcurrentQueue<StepActionEvent> Events { get; } = new();

    public ConcurrentQueue<AssignedAction> Assigned { get; } = new();

    /// <summary>Every accepted refresh, with the task's timeout after it (Hatchet's answer) and when it arrived.</summary>
    public ConcurrentQueue<(RefreshTimeoutRequest Request, DateTime ReceivedAt, DateTime TimeoutAt)> Refreshes { get; } = new();

    public ConcurrentQueue<TriggerWorkflowRunRequest> Triggers { get; } = new();

    public ConcurrentQueue<CancelTasksRequest> Cancels { get; } = new();

    /// <summary>Runs by their external id.</summary>
    public ConcurrentDictionary<string, StandInRun> Runs { get; } = new();

    public sealed class StandInRun
    {
        public required string Id { get; init; }

        public required CreateWorkflowVersionRequest Workflow { get; init; }

        public required string Input { get; init; }

        public required string Metadata { get; init; }

        public string? ConcurrencyKey { get; init; }

        public int Task { get; set; }

        public int RetryCount { get; set; }

        public string TaskRunId { get; set; } = "";

        public string Status { get; set; } = "QUEUED";

        /// <summary>When the running task times out (assignment + its timeout, plus every refresh's increment).</summary>
        public DateTime TimeoutAt { get; set; }

        public JsonObject Outputs { get; } = [];
    }

    /// <summary>A JWT-shaped API token whose claims name this stand-in (Hatchet's SDKs read them unverified).</summary>
    public static string CreateToken(string tenant, int port) => HatchetGrammar.CreateToken(tenant, port);

    public static async Task<HatchetStandIn> StartAsync()
    {
        var port = EdgePair.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var tenant = Guid.NewGuid().ToString();
        var standIn = new HatchetStandIn(tenant, CreateToken(tenant, port)) { Port = port };
        builder.Services.AddSingleton(standIn);
        var app = builder.Build();
        app.MapGrpcService<DispatcherService>();
        app.MapGrpcService<AdminServiceImpl>();
        standIn._app = app;
        await app.StartAsync();
        return standIn;
    }

    /// <summary>Hatchet's validator grammar for names (<c>hatchetName</c>).</summary>
    public static Regex NamePattern => HatchetGrammar.NamePattern;

    /// <summary>A duration Hatchet accepts, as Go's time.ParseDuration reads it; null when Hatchet refuses it.</summary>
    public static TimeSpan? ParseDuration(string text) => HatchetGrammar.ParseDuration(text);

    /// <summary>Forgets every worker, as a reset Hatchet database would: their ListenV2 and Heartbeat calls answer NotFound.</summary>
    public void ForgetWorkers() => Workers.Clear();

    /// <summary>Ends every open <c>ListenV2</c> stream with UNAVAILABLE, as a restarting engine would.</summary>
    public void DropStreams()
    {
        var old = Interlocked.Exchange(ref _streams, new CancellationTokenSource());
        old.Cancel();
    }

    /// <summary>Starts a run as TriggerWorkflowRun would (also used to simulate a duplicate trigger).</summary>
    public string Trigger(string workflow, string input, string metadata)
    {
        var definition = Workflows.TryGetValue(workflow, out var known) ? known
            : throw new RpcException(new Status(StatusCode.NotFound, $"workflow '{workflow}' not found"));
        var key = JsonNode.Parse(metadata)?["sfp_concurrency_key"]?.GetValue<string>();
        var run = new StandInRun { Id = Guid.NewGuid().ToString(), Workflow = definition, Input = input, Metadata = metadata, ConcurrencyKey = key };
        lock (_gate)
        {
            // CANCEL_IN_PROGRESS: a newer run of the same key cancels the older ones still going.
            if (key is not null && definition.ConcurrencyArr.Any(c => c.LimitStrategy == ConcurrencyLimitStrategy.CancelInProgress))
            {
                foreach (var older in Runs.Values.Where(r => r.ConcurrencyKey == key && r.Workflow.Name == workflow && r.Status is "QUEUED" or "RUNNING"))
                {
                    CancelLocked(older);
                }
            }

            Runs[run.Id] = run;
            AssignLocked(run);
        }

        return run.Id;
    }

    /// <summary>
    /// Fires workflow <paramref name="workflow"/>'s cron trigger for the tick <paramref name="scheduledAt"/>, as Hatchet's
    /// ticker does: a run with the workflow's <c>cron_input</c> as its input and the tick and expression as additional
    /// metadata (<c>hatchet__cron_scheduled_at</c> in RFC 3339, whole seconds, UTC). Only a workflow whose latest version
    /// has a cron trigger can fire. Returns the run's id.
    /// </summary>
    public string FireCron(string workflow, DateTimeOffset scheduledAt)
    {
        var definition = Workflows.TryGetValue(workflow, out var known) ? known : throw new InvalidOperationException($"no workflow '{workflow}'");
        var cron = definition.CronTriggers.FirstOrDefault()
            ?? throw new InvalidOperationException($"workflow '{workflow}' has no cron trigger: Hatchet would not fire it");
        var metadata = new JsonObject
        {
            ["hatchet__cron_expression"] = cron,
            ["hatchet__cron_scheduled_at"] = scheduledAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        return Trigger(workflow, definition.HasCronInput ? definition.CronInput : "{}", metadata.ToJsonString());
    }

    private void AssignLocked(StandInRun run)
    {
        var task = run.Workflow.Tasks[run.Task];
        if (run.RetryCount == 0)
        {
            run.TaskRunId = Guid.NewGuid().ToString();
        }

        run.Status = "RUNNING";
        run.TimeoutAt = DateTime.UtcNow + (ParseDuration(task.Timeout) ?? TimeSpan.FromSeconds(60));
        var payload = new JsonObject { ["input"] = JsonNode.Parse(run.Input), ["parents"] = run.Outputs.DeepClone() };
        var action = new AssignedAction
        {
            TenantId = TenantId,
            WorkflowRunId = run.Id,
            JobId = run.Workflow.Name + "-job",
            JobName = run.Workflow.Name,
            JobRunId = run.Id + "-job",
            TaskId = run.Workflow.Name + ":" + task.ReadableId,
            TaskRunExternalId = run.TaskRunId,
            ActionId = task.Action,
            ActionType = ActionType.StartStepRun,
            ActionPayload = payload.ToJsonString(),
            TaskName = task.ReadableId,
            RetryCount = run.RetryCount,
            AdditionalMetadata = run.Metadata,
        };
        Enqueue(action);
    }

    private void CancelLocked(StandInRun run)
    {
        if (run.Status == "RUNNING")
        {
            var task = run.Workflow.Tasks[run.Task];
            Enqueue(new AssignedAction
            {
                TenantId = TenantId, WorkflowRunId = run.Id, TaskRunExternalId = run.TaskRunId, ActionId = task.Action,
                ActionType = ActionType.CancelStepRun, TaskName = task.ReadableId, RetryCount = run.RetryCount, AdditionalMetadata = run.Metadata,
            });
        }

        run.Status = "CANCELLED";
    }

    /// <summary>Queues the action for the worker (tests run one); it waits there until a worker listens, as in Hatchet.</summary>
    private void Enqueue(AssignedAction action) => _queue.Writer.TryWrite(action);

    private void OnEvent(StepActionEvent e)
    {
        lock (_gate)
        {
            var run = Runs.Values.FirstOrDefault(r => r.TaskRunId == e.TaskRunExternalId);
            if (run is null || run.Status != "RUNNING" || e.RetryCount != run.RetryCount)
            {
                return;
            }

            var task = run.Workflow.Tasks[run.Task];
            switch (e.EventType)
            {
                case StepActionEventType.StepEventTypeCompleted:
                    run.Outputs[task.ReadableId] = JsonNode.Parse(e.EventPayload);
                    run.RetryCount = 0;
                    if (++run.Task < run.Workflow.Tasks.Count)
                    {
                        AssignLocked(run);
                    }
                    else
                    {
                        run.Status = "COMPLETED";
                    }

                    break;
                case StepActionEventType.StepEventTypeFailed:
                    if (!e.ShouldNotRetry && run.RetryCount < task.Retries)
                    {
                        run.RetryCount++;
                        AssignLocked(run);
                    }
                    else
                    {
                        run.Status = "FAILED";
                    }

                    break;
            }
        }
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, $"Invalid request: {message}"));

    /// <summary>A known worker, as Hatchet looks its row up: InvalidArgument for an id that is not a UUID, NotFound for one it does not know.</summary>
    private void CheckWorker(string workerId)
    {
        if (!Guid.TryParse(workerId, out _))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid worker ID format: {workerId}"));
        }

        if (!Workers.ContainsKey(workerId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "not found"));
        }
    }

    private static void CheckTask(CreateTaskOpts task)
    {
        if (!NamePattern.IsMatch(task.ReadableId) || task.Parents.Any(p => !NamePattern.IsMatch(p)))
        {
            throw Invalid($"Hatchet names must match the regex ^[a-zA-Z0-9\\.\\-_]+$ (task '{task.ReadableId}')");
        }

        if (!IsActionId(task.Action))
        {
            throw Invalid($"Invalid action ID '{task.Action}'. Action IDs must be in the format <integrationId>:<verb>");
        }

        if (task.Timeout.Length > 0 && ParseDuration(task.Timeout) is null)
        {
            throw Invalid($"Invalid duration '{task.Timeout}'. Durations must be one or more <number><unit> components, where unit is one of: 'ms', 's', 'm', 'h'");
        }
    }

    private static bool IsActionId(string action) => action.Split(':') is [{ Length: > 0 }, { Length: > 0 }];

    private void Check(ServerCallContext context, string rpc)
    {
        Calls.Enqueue(rpc);
        if (Unavailable)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the engine is down"));
        }

        if (context.RequestHeaders.GetValue("authorization") != $"Bearer {Token}")
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "invalid auth token"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _streams.CancelAsync();
        await _app.DisposeAsync();
    }

    private sealed class DispatcherService(HatchetStandIn hatchet) : Dispatcher.DispatcherBase
    {
        public override Task<WorkerRegisterResponse> Register(WorkerRegisterRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "Register");
            if (!NamePattern.IsMatch(request.WorkerName) || request.Services.Any(s => !NamePattern.IsMatch(s)))
            {
                throw Invalid($"Hatchet names must match the regex ^[a-zA-Z0-9\\.\\-_]+$ (worker '{request.WorkerName}')");
            }

            if (request.Actions.FirstOrDefault(a => !IsActionId(a)) is { } action)
            {
                throw Invalid($"Invalid action ID '{action}'. Action IDs must be in the format <integrationId>:<verb>");
            }

            hatchet.Registrations.Enqueue(request);
            var id = Guid.NewGuid().ToString();
            hatchet.Workers[id] = request.WorkerName;
            hatchet.IssuedWorkerIds.Enqueue(id);
            return Task.FromResult(new WorkerRegisterResponse { TenantId = hatchet.TenantId, WorkerId = id, WorkerName = request.WorkerName });
        }

        public override async Task ListenV2(WorkerListenRequest request, IServerStreamWriter<AssignedAction> responseStream, ServerCallContext context)
        {
            hatchet.Check(context, "ListenV2");
            hatchet.CheckWorker(request.WorkerId);
            hatchet.Listens.Enqueue(request);
            var queue = hatchet._queue;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, hatchet._streams.Token);
            try
            {
                while (await queue.Reader.WaitToReadAsync(linked.Token))
                {
                    // Take an action only once it can be written; a dropped stream leaves the rest queued.
                    while (!linked.IsCancellationRequested && queue.Reader.TryRead(out var action))
                    {
                        hatchet.Assigned.Enqueue(action);
                        await responseStream.WriteAsync(action, CancellationToken.None);
                    }
                }
            }
            catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "the stream was dropped"));
            }
        }

        public override Task<HeartbeatResponse> Heartbeat(HeartbeatRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "Heartbeat");
            hatchet.CheckWorker(request.WorkerId);
            hatchet.Heartbeats.Enqueue((request, DateTime.UtcNow));
            return Task.FromResult(new HeartbeatResponse());
        }

        public override Task<ActionEventResponse> SendStepActionEvent(StepActionEvent request, ServerCallContext context)
        {
            hatchet.Check(context, "SendStepActionEvent");
            hatchet.Events.Enqueue(request);
            hatchet.OnEvent(request);
            return Task.FromResult(new ActionEventResponse { TenantId = hatchet.TenantId, WorkerId = request.WorkerId });
        }

        public override Task<RefreshTimeoutResponse> RefreshTimeout(RefreshTimeoutRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "RefreshTimeout");
            if (!Guid.TryParse(request.TaskRunExternalId, out _))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"invalid task external run id {request.TaskRunExternalId}"));
            }

            if (ParseDuration(request.IncrementTimeoutBy) is not { } increment)
            {
                throw Invalid($"Invalid duration '{request.IncrementTimeoutBy}'. Durations must be one or more <number><unit> components, where unit is one of: 'ms', 's', 'm', 'h'");
            }

            DateTime timeoutAt;
            lock (hatchet._gate)
            {
                var run = hatchet.Runs.Values.FirstOrDefault(r => r.TaskRunId == request.TaskRunExternalId && r.Status == "RUNNING")
                    ?? throw new RpcException(new Status(StatusCode.NotFound, $"task run not found: {request.TaskRunExternalId}"));

                // Hatchet: timeout_at = timeout_at + increment (not now + increment).
                run.TimeoutAt += increment;
                timeoutAt = run.TimeoutAt;
            }

            hatchet.Refreshes.Enqueue((request, DateTime.UtcNow, timeoutAt));
            return Task.FromResult(new RefreshTimeoutResponse { TimeoutAt = Timestamp.FromDateTime(timeoutAt) });
        }

        public override Task<WorkerUnsubscribeResponse> Unsubscribe(WorkerUnsubscribeRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "Unsubscribe");
            hatchet.CheckWorker(request.WorkerId);
            return Task.FromResult(new WorkerUnsubscribeResponse { TenantId = hatchet.TenantId, WorkerId = request.WorkerId });
        }
    }

    private sealed class AdminServiceImpl(HatchetStandIn hatchet) : AdminService.AdminServiceBase
    {
        public override Task<CreateWorkflowVersionResponse> PutWorkflow(CreateWorkflowVersionRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "PutWorkflow");
            if (!NamePattern.IsMatch(request.Name))
            {
                throw Invalid($"Hatchet names must match the regex ^[a-zA-Z0-9\\.\\-_]+$ (workflow '{request.Name}')");
            }

            foreach (var task in request.Tasks)
            {
                CheckTask(task);
            }

            // Hatchet's validator (go-playground, `dive,cron`) answers with its APIErrors text.
            var badCrons = request.CronTriggers.Select((cron, i) => (cron, i)).Where(c => !HatchetGrammar.IsCron(c.cron)).ToList();
            if (badCrons.Count > 0)
            {
                var errors = string.Concat(badCrons.Select((c, n) =>
                    $"{n}: validation failed on field 'CreateWorkflowVersionOpts.CronTriggers[{c.i}]': Invalid cron expression\n"));
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Validation failed with the following errors:\n{errors}"));
            }

            hatchet.Workflows[request.Name] = request;
            hatchet.Puts.Enqueue(request);
            return Task.FromResult(new CreateWorkflowVersionResponse { Id = Guid.NewGuid().ToString(), WorkflowId = request.Name });
        }

        public override Task<TriggerWorkflowRunResponse> TriggerWorkflowRun(TriggerWorkflowRunRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "TriggerWorkflowRun");
            hatchet.Triggers.Enqueue(request);
            var id = hatchet.Trigger(request.WorkflowName, request.Input.ToStringUtf8(), request.AdditionalMetadata.ToStringUtf8());
            return Task.FromResult(new TriggerWorkflowRunResponse { ExternalId = id });
        }

        public override Task<CancelTasksResponse> CancelTasks(CancelTasksRequest request, ServerCallContext context)
        {
            hatchet.Check(context, "CancelTasks");
            hatchet.Cancels.Enqueue(request);
            var response = new CancelTasksResponse();
            lock (hatchet._gate)
            {
                foreach (var id in request.ExternalIds)
                {
                    if (hatchet.Runs.TryGetValue(id, out var run) && run.Status is "QUEUED" or "RUNNING")
                    {
                        hatchet.CancelLocked(run);
                        response.CancelledTasks.Add(run.TaskRunId);
                    }
                }
            }

            return Task.FromResult(response);
        }
    }
}
