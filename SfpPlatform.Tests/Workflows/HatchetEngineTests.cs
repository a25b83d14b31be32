using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Hatchet.Contracts;
using SfpPlatform.Core.Workflows.Hatchet.Schedules;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;
using SfpPlatform.Workers.Engine;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// The Hatchet engine adapter (<c>Workflows:Engine=hatchet</c>) against an in-process Hatchet speaking its gRPC
/// contract, with the platform's runs in real Postgres: registration, listening, heartbeat cadence and step events
/// with the right ids and outputs; the engine suite's cases (exactly once, retries, non-retryable, cancel,
/// concurrency); a dropped stream reopened; the outbox relay riding out an engine outage; a duplicate Hatchet run
/// recognised and not run; schedules registered as Hatchet cron workflows and fired back. The stand-in refuses what Hatchet refuses (names, durations, ids, tokens, TLS against its
/// plain-text port) and adds on RefreshTimeout, so these show the worker keeps Hatchet's rules.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class HatchetEngineTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private HatchetStandIn _hatchet = null!;
    private IHost _worker = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres))!);
        await _database.ScalarAsync<object?>("CREATE TABLE executions (run_id uuid NOT NULL, step text NOT NULL, attempt int NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        _hatchet = await HatchetStandIn.StartAsync();
        _worker = await StartWorkerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(TimeSpan.FromSeconds(15));
        _worker.Dispose();
        await _hatchet.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A Workers host on the Hatchet engine; <paramref name="configure"/> changes its settings, <paramref name="logs"/> collects its log lines.</summary>
    private async Task<IHost> StartWorkerAsync(Action<IConfiguration>? configure = null, ConcurrentQueue<string>? logs = null)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = true }.ConnectionString;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(new CapturingLoggerProvider(logs));
        }

        builder.Configuration["Workflows:Engine"] = "hatchet";
        builder.Configuration["Hatchet:Token"] = _hatchet.Token;
        builder.Configuration["Hatchet:TlsStrategy"] = "none";
        builder.Configuration["Hatchet:WorkerName"] = "contract-worker";
        builder.Configuration["Hatchet:HeartbeatInterval"] = "00:00:00.200";
        builder.Configuration["Hatchet:TaskLease"] = "00:00:03";
        builder.Configuration["Hatchet:InitialBackoff"] = "00:00:00.100";
        builder.Configuration["Hatchet:MaxBackoff"] = "00:00:01";
        builder.Configuration["Hatchet:RelayPollInterval"] = "00:00:00.200";
        builder.Configuration["Schedules:TickInterval"] = "00:00:00.200";
        configure?.Invoke(builder.Configuration);
        builder.Services.AddDbContext<SfpDbContext>(o => o.UseNpgsql(connectionString).UseSfpConventions());
        foreach (var workflow in Workflows(connectionString))
        {
            builder.Services.AddSingleton(workflow);
        }

        builder.Services.AddWorkflowWorkers(builder.Configuration, connectionString);
        var host = builder.Build();
        try
        {
            await host.StartAsync(Cancellation);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    private static async Task StopAsync(IHost host)
    {
        await host.StopAsync(TimeSpan.FromSeconds(15));
        host.Dispose();
    }

    /// <summary>A dispatcher client of the stand-in, with <paramref name="token"/> (default: the stand-in's own).</summary>
    private (Dispatcher.DispatcherClient Dispatcher, Core.Workflows.Hatchet.Contracts.V1.AdminService.AdminServiceClient Admin, IDisposable Channel) Client(string? token = null)
    {
        var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{_hatchet.Port}");
        var invoker = Grpc.Core.Interceptors.CallInvokerExtensions.Intercept(channel.CreateCallInvoker(),
            metadata => { metadata.Add("authorization", $"Bearer {token ?? _hatchet.Token}"); return metadata; });
        return (new Dispatcher.DispatcherClient(invoker), new Core.Workflows.Hatchet.Contracts.V1.AdminService.AdminServiceClient(invoker), channel);
    }

    /// <summary>The engine suite's workflows: each step records its execution (run, step, attempt).</summary>
    private static IEnumerable<WorkflowDefinition> Workflows(string connectionString)
    {
        async Task Record(StepContext context)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(context.CancellationToken);
            await using var command = new NpgsqlCommand("INSERT INTO executions (run_id, step, attempt) VALUES ($1, $2, $3)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = context.RunId });
            command.Parameters.Add(new NpgsqlParameter { Value = context.Step });
            command.Parameters.Add(new NpgsqlParameter { Value = context.Attempt });
            await command.ExecuteNonQueryAsync(context.CancellationToken);
        }

        var quick = new RetryPolicy(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1));
        yield return new WorkflowDefinition("count", [new StepDefinition("record", Record)]);
        yield return new WorkflowDefinition("chain", [new StepDefinition("first", Record), new StepDefinition("second", Record)]);
        yield return new WorkflowDefinition("flaky",
        [
            new StepDefinition("try", async ctx =>
            {
                await Record(ctx);
                if (ctx.Attempt <= ctx.Input.GetProperty("failures").GetInt32())
                {
                    throw new InvalidOperationException($"attempt {ctx.Attempt} fails");
                }
            }) { Retry = quick },
        ]);
        yield return new WorkflowDefinition("doomed",
        [
            new StepDefinition("refuse", async ctx =>
            {
                await Record(ctx);
                throw new NonRetryableStepException("bad input: nothing to do");
            }) { Retry = quick },
        ]);
        yield return new WorkflowDefinition("hold",
        [
            new StepDefinition("hold", async ctx =>
            {
                await Record(ctx);
                await Task.Delay(ctx.Input.GetProperty("holdMs").GetInt32(), ctx.CancellationToken);
            }) { Retry = RetryPolicy.None },
        ]);
    }

    private async Task<Guid> EnqueueAsync(string workflow, object input, string? concurrencyKey = null, string? idempotencyKey = null)
    {
        await using var db = _database.CreateContext();
        return (await new WorkflowRunStore(db, TimeProvider.System).EnqueueAsync(new WorkflowTrigger(workflow, JsonSerializer.SerializeToElement(input))
        {
            ConcurrencyKey = concurrencyKey,
            IdempotencyKey = idempotencyKey,
            TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        }, Cancellation))!.Value;
    }

    private Task<string?> StatusAsync(Guid run) => _database.ScalarAsync<string>("SELECT status FROM workflow_runs WHERE id = $1", run);

    private async Task<string> WaitForEndAsync(Guid run, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            var status = await StatusAsync(run);
            if (status is RunStatuses.Succeeded or RunStatuses.Failed or RunStatuses.Cancelled)
            {
                return status;
            }

            await Task.Delay(50, Cancellation);
        }

        return $"still {await StatusAsync(run)} after the timeout";
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20, Cancellation);
        }
    }

    [Fact]
    public async Task Worker_RegistersListensAndBeats_ThenRunsARelayedRunWithTheRightEvents()
    {
        await WaitUntilAsync(() => _hatchet.Heartbeats.Count >= 4, TimeSpan.FromSeconds(10), "four heartbeats");

        // Registration: every workflow as a chain of tasks with the steps' retries, then the worker with its actions.
        var calls = _hatchet.Calls.ToList();
        Assert.True(calls.IndexOf("PutWorkflow") < calls.IndexOf("Register") && calls.IndexOf("Register") < calls.IndexOf("ListenV2"), string.Join(",", calls));
        var chain = _hatchet.Workflows["chain"];
        Assert.Equal(["first", "second"], chain.Tasks.Select(t => t.ReadableId));
        Assert.Equal(["chain:first", "chain:second"], chain.Tasks.Select(t => t.Action));
        Assert.Equal(["first"], chain.Tasks[1].Parents);
        Assert.Equal("3s", chain.Tasks[0].Timeout);
        Assert.Equal(2, _hatchet.Workflows["flaky"].Tasks[0].Retries);
        Assert.Equal("additional_metadata.sfp_concurrency_key", Assert.Single(chain.ConcurrencyArr).Expression);
        var registration = Assert.Single(_hatchet.Registrations);
        Assert.Equal("contract-worker", registration.WorkerName);
        Assert.Subset(registration.Actions.ToHashSet(), new HashSet<string> { "count:record", "chain:first", "chain:second", "flaky:try", "doomed:refuse", "hold:hold" });
        Assert.Equal(4, registration.Slots);
        // The worker uses the id Hatchet issued (a UUID), not its name.
        var workerId = Assert.Single(_hatchet.IssuedWorkerIds);
        Assert.Equal(workerId, Assert.Single(_hatchet.Listens).WorkerId);

        // Heartbeats: the worker's id, the configured cadence (200 ms here; Hatchet's default is 4 s).
        var beats = _hatchet.Heartbeats.ToList();
        Assert.All(beats, b => Assert.Equal(workerId, b.Request.WorkerId));
        var gaps = beats.Zip(beats.Skip(1), (a, b) => (b.ReceivedAt - a.ReceivedAt).TotalMilliseconds).ToList();
        Assert.All(gaps, gap => Assert.InRange(gap, 150, 1000));

        // A run enqueued in the platform database is relayed with its metadata and runs step by step.
        var run = await EnqueueAsync("chain", new { repo = "acme/app" }, concurrencyKey: "github:acme/app:pr:1", idempotencyKey: "delivery-1");
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));

        var trigger = Assert.Single(_hatchet.Triggers);
        Assert.Equal("chain", trigger.WorkflowName);
        Assert.Equal("acme/app", JsonNode.Parse(trigger.Input.ToStringUtf8())!["repo"]!.GetValue<string>());
        var metadata = JsonNode.Parse(trigger.AdditionalMetadata.ToStringUtf8())!;
        Assert.Equal(run.ToString(), metadata["sfp_run_id"]!.GetValue<string>());
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", metadata["traceparent"]!.GetValue<string>());
        Assert.Equal("delivery-1", metadata["sfp_idempotency_key"]!.GetValue<string>());
        Assert.Equal("github:acme/app:pr:1", metadata["sfp_concurrency_key"]!.GetValue<string>());
        var external = Assert.Single(_hatchet.Runs.Keys);
        Assert.Equal(external, await _database.ScalarAsync<string>("SELECT engine_run_id FROM workflow_runs WHERE id = $1", run));

        var assigned = _hatchet.Assigned.Where(a => a.WorkflowRunId == external).ToList();
        Assert.Equal(["chain:first", "chain:second"], assigned.Select(a => a.ActionId));
        var events = _hatchet.Events.Where(e => assigned.Any(a => a.TaskRunExternalId == e.TaskRunExternalId)).ToList();
        Assert.Equal(
            [(assigned[0].TaskRunExternalId, StepActionEventType.StepEventTypeStarted), (assigned[0].TaskRunExternalId, StepActionEventType.StepEventTypeCompleted),
             (assigned[1].TaskRunExternalId, StepActionEventType.StepEventTypeStarted), (assigned[1].TaskRunExternalId, StepActionEventType.StepEventTypeCompleted)],
            events.Select(e => (e.TaskRunExternalId, e.EventType)));
        Assert.All(events, e =>
        {
            Assert.Equal(workerId, e.WorkerId);
            var action = assigned.Single(a => a.TaskRunExternalId == e.TaskRunExternalId);
            Assert.Equal((action.ActionId, action.JobId, action.JobRunId, action.TaskId), (e.ActionId, e.JobId, e.JobRunId, e.TaskId));
        });
        Assert.Equal("second", JsonNode.Parse(events[3].EventPayload)!["step"]!.GetValue<string>());
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_step_runs WHERE run_id = $1 AND status = 'succeeded'", run));
        Assert.Equal(["first", "second"], await StepsAsync(run));
    }

    [Fact]
    public async Task TwoHundredRuns_AreEachExecutedExactlyOnce()
    {
        var runs = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            runs.Add(await EnqueueAsync("count", new { i }));
        }

        foreach (var run in runs)
        {
            Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run, TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(200L, await _database.ScalarAsync<long>("SELECT count(*) FROM executions"));
        Assert.Equal(200L, await _database.ScalarAsync<long>("SELECT count(DISTINCT run_id) FROM executions"));
        Assert.Equal(200, _hatchet.Triggers.Count);
    }

    [Fact]
    public async Task RetryableFailures_AreRetriedThroughHatchet_NonRetryableFailsAtOnce()
    {
        var flaky = await EnqueueAsync("flaky", new { failures = 2 });
        var doomed = await EnqueueAsync("doomed", new { });

        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(flaky));
        Assert.Equal(RunStatuses.Failed, await WaitForEndAsync(doomed));

        var flakyFailures = _hatchet.Events.Where(e => e.ActionId == "flaky:try" && e.EventType == StepActionEventType.StepEventTypeFailed).ToList();
        Assert.Equal([0, 1], flakyFailures.Select(e => e.RetryCount));
        Assert.All(flakyFailures, e => Assert.False(e.ShouldNotRetry));
        Assert.Contains("attempt 1 fails", flakyFailures[0].EventPayload, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], await AttemptsAsync(flaky));

        var refused = Assert.Single(_hatchet.Events, e => e.ActionId == "doomed:refuse" && e.EventType == StepActionEventType.StepEventTypeFailed);
        Assert.True(refused.ShouldNotRetry);
        Assert.Contains("bad input: nothing to do", refused.EventPayload, StringComparison.Ordinal);
        Assert.Equal([1], await AttemptsAsync(doomed));
        Assert.Contains("bad input", await _database.ScalarAsync<string>("SELECT error FROM workflow_runs WHERE id = $1", doomed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DroppedStream_IsReopenedWithBackoff_AndRunsContinue()
    {
        await WaitUntilAsync(() => _hatchet.Listens.Count == 1, TimeSpan.FromSeconds(10), "the first listen");
        _hatchet.DropStreams();
        await WaitUntilAsync(() => _hatchet.Listens.Count == 2, TimeSpan.FromSeconds(10), "the worker to listen again");
        Assert.All(_hatchet.Listens, l => Assert.Equal(Assert.Single(_hatchet.IssuedWorkerIds), l.WorkerId));
        Assert.Single(_hatchet.Registrations);   // the same worker, not a new registration

        var run = await EnqueueAsync("count", new { after = "drop" });
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));
    }

    [Fact]
    public async Task EngineOutage_DelaysRunsButLosesNone_AndRunsEachOnce()
    {
        await WaitUntilAsync(() => _hatchet.Listens.Count == 1, TimeSpan.FromSeconds(10), "the worker to listen");
        _hatchet.Unavailable = true;
        _hatchet.DropStreams();
        var runs = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            runs.Add(await EnqueueAsync("count", new { i }));   // the writes never wait on Hatchet
        }

        await Task.Delay(1500, Cancellation);
        Assert.Empty(_hatchet.Triggers);
        Assert.Equal(20L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE status = 'queued' AND engine_run_id IS NULL"));
        Assert.Contains("TriggerWorkflowRun", _hatchet.Calls);   // the relay kept trying

        _hatchet.Unavailable = false;
        foreach (var run in runs)
        {
            Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));
        }

        Assert.Equal(20, _hatchet.Triggers.Count);
        Assert.Equal(20L, await _database.ScalarAsync<long>("SELECT count(DISTINCT run_id) FROM executions"));
        Assert.Equal(20L, await _database.ScalarAsync<long>("SELECT count(*) FROM executions"));
        ReliabilityReport.Record(ReliabilityReport.Faults, "A Hatchet outage",
            ("runs written during the outage", 20), ("relayed after it", _hatchet.Triggers.Count), ("executed once", 20), ("lost", 0), ("doubled", 0));
    }

    [Fact]
    public async Task DuplicateHatchetRun_OfARelayedRun_IsCompletedWithoutRunning()
    {
        var run = await EnqueueAsync("count", new { once = true });
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));
        var original = Assert.Single(_hatchet.Triggers);

        // As if the relay crashed after Hatchet accepted the trigger but before the platform recorded its id.
        var duplicate = _hatchet.Trigger("count", original.Input.ToStringUtf8(), original.AdditionalMetadata.ToStringUtf8());
        await WaitUntilAsync(() => _hatchet.Runs[duplicate].Status == "COMPLETED", TimeSpan.FromSeconds(10), "the duplicate to be completed");

        var skipped = _hatchet.Events.Single(e => e.TaskRunExternalId == _hatchet.Runs[duplicate].TaskRunId);
        Assert.Contains("duplicate of Hatchet run", JsonNode.Parse(skipped.EventPayload)!["skipped"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM executions WHERE run_id = $1", run));
    }

    [Fact]
    public async Task LongStep_RefreshesItsTaskTimeout_KeepingItOneLeaseAhead()
    {
        var run = await EnqueueAsync("hold", new { holdMs = 2600 });

        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));

        var task = _hatchet.Assigned.Single(a => a.ActionId == "hold:hold").TaskRunExternalId;
        var refreshes = _hatchet.Refreshes.Where(r => r.Request.TaskRunExternalId == task).ToList();
        Assert.InRange(refreshes.Count, 2, 3);   // every second (a third of the 3 s lease) while the step ran
        // Each refresh moved the timeout by exactly its increment (Hatchet adds; it does not set now + increment)...
        Assert.All(refreshes.Zip(refreshes.Skip(1)), pair =>
            Assert.Equal(HatchetStandIn.ParseDuration(pair.Second.Request.IncrementTimeoutBy), pair.Second.TimeoutAt - pair.First.TimeoutAt));
        // Hatchet adds each increment to the task's timeout: after every refresh the timeout is still ahead of now, and
        // no more than one lease (3 s) ahead — it does not grow with the number of refreshes.
        Assert.All(refreshes, r =>
        {
            Assert.Matches(HatchetGrammar.DurationPattern, r.Request.IncrementTimeoutBy);
            var ahead = (r.TimeoutAt - r.ReceivedAt).TotalMilliseconds;
            Assert.InRange(ahead, 1500, 3000 + 100);
        });
        Assert.True(refreshes[^1].TimeoutAt - refreshes[0].TimeoutAt < refreshes[^1].ReceivedAt - refreshes[0].ReceivedAt + TimeSpan.FromMilliseconds(200),
            "the timeout moved no faster than time did");
    }

    [Fact]
    public async Task Cancel_ThroughTheEngineContract_StopsTheRunningStep()
    {
        var run = await EnqueueAsync("hold", new { holdMs = 60_000 });
        await WaitUntilAsync(() => _hatchet.Events.Any(e => e.ActionId == "hold:hold" && e.EventType == StepActionEventType.StepEventTypeStarted),
            TimeSpan.FromSeconds(10), "the step to start");

        await using (var scope = _worker.Services.CreateAsyncScope())
        {
            var engine = scope.ServiceProvider.GetRequiredService<IWorkflowEngine>();
            Assert.IsType<HatchetWorkflowEngine>(engine);
            Assert.True(await engine.CancelAsync(run, Cancellation));
        }

        Assert.Equal(RunStatuses.Cancelled, await WaitForEndAsync(run, TimeSpan.FromSeconds(10)));
        var engineRunId = await _database.ScalarAsync<string>("SELECT engine_run_id FROM workflow_runs WHERE id = $1", run);
        Assert.Equal([engineRunId], Assert.Single(_hatchet.Cancels).ExternalIds);
        Assert.Equal("cancelled", await _database.ScalarAsync<string>("SELECT status FROM workflow_step_runs WHERE run_id = $1", run));
    }

    [Fact]
    public async Task NewerRunOfTheSameConcurrencyKey_CancelsTheOneInProgress()
    {
        var older = await EnqueueAsync("hold", new { holdMs = 60_000 }, concurrencyKey: "github:acme/app:pr:9");
        await WaitUntilAsync(() => _hatchet.Events.Any(e => e.ActionId == "hold:hold" && e.EventType == StepActionEventType.StepEventTypeStarted),
            TimeSpan.FromSeconds(10), "the older run to start");

        var newer = await EnqueueAsync("hold", new { holdMs = 10 }, concurrencyKey: "github:acme/app:pr:9");

        Assert.Equal(RunStatuses.Cancelled, await WaitForEndAsync(older, TimeSpan.FromSeconds(10)));
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(newer));
        Assert.Contains(_hatchet.Assigned, a => a.ActionType == ActionType.CancelStepRun);
    }

    [Fact]
    public async Task WorkerHatchetNoLongerKnows_RegistersAgainOnce_AndRunsContinueUnderTheNewId()
    {
        await WaitUntilAsync(() => _hatchet.Listens.Count == 1, TimeSpan.FromSeconds(10), "the worker to listen");
        var first = Assert.Single(_hatchet.IssuedWorkerIds);

        // A reset Hatchet database: the worker row is gone, so Heartbeat and ListenV2 answer NotFound.
        _hatchet.ForgetWorkers();
        _hatchet.DropStreams();
        await WaitUntilAsync(() => _hatchet.IssuedWorkerIds.Count == 2 && _hatchet.Listens.Any(l => l.WorkerId == _hatchet.IssuedWorkerIds.Last()),
            TimeSpan.FromSeconds(10), "the worker to register again and listen under its new id");
        var second = _hatchet.IssuedWorkerIds.Last();
        Assert.NotEqual(first, second);
        Assert.Equal(2, _hatchet.Registrations.Count);   // once more, though both the heartbeat and the stream noticed
        Assert.Equal(["contract-worker", "contract-worker"], _hatchet.Registrations.Select(r => r.WorkerName));

        var run = await EnqueueAsync("count", new { after = "reset" });
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));
        var task = _hatchet.Assigned.Single(a => a.WorkflowRunId == _hatchet.Runs.Single(r => r.Value.Metadata.Contains(run.ToString(), StringComparison.Ordinal)).Key);
        Assert.All(_hatchet.Events.Where(e => e.TaskRunExternalId == task.TaskRunExternalId), e => Assert.Equal(second, e.WorkerId));
        await WaitUntilAsync(() => _hatchet.Heartbeats.Any(h => h.Request.WorkerId == second), TimeSpan.FromSeconds(5), "a heartbeat under the new id");
    }

    [Fact]
    public async Task WorkerNameWithAColon_IsRefusedAtStart_AsHatchetWouldRefuseIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWorkerAsync(c => c["Hatchet:WorkerName"] = "build-host:4242"));
        Assert.Contains("Hatchet:WorkerName 'build-host:4242'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_hatchet.Registrations, r => r.WorkerName == "build-host:4242");

        // Hatchet itself refuses it (its Register validates the name).
        var (dispatcher, _, channel) = Client();
        using (channel)
        {
            Assert.Equal(StatusCode.InvalidArgument, (await RefusedRegistrationAsync(dispatcher, "build-host:4242")).StatusCode);
        }
    }

    [Fact]
    public async Task WorkerWithoutAName_RegistersUnderADefaultHatchetAccepts()
    {
        var worker = await StartWorkerAsync(c => c["Hatchet:WorkerName"] = null);
        try
        {
            await WaitUntilAsync(() => _hatchet.Registrations.Count == 2, TimeSpan.FromSeconds(10), "the second worker to register");
            var name = Assert.Single(_hatchet.Registrations, r => r.WorkerName != "contract-worker").WorkerName;
            Assert.Matches(HatchetStandIn.NamePattern, name);
            Assert.EndsWith($"-{Environment.ProcessId}", name, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(worker);
        }
    }

    [Fact]
    public async Task WorkerWithoutAToken_RefusesToStart_WithOneMessageNamingHatchetToken()
    {
        await WaitUntilAsync(() => _hatchet.Registrations.Count == 1, TimeSpan.FromSeconds(10), "the suite's worker to register");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWorkerAsync(c => c["Hatchet:Token"] = ""));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("Hatchet:Token is not set", failure, StringComparison.Ordinal);
        Assert.Single(_hatchet.Registrations);   // only the suite's own worker
    }

    [Fact]
    public async Task WorkerWithATokenHatchetDoesNotKnow_IsRefused_AndSaysWhichSetting()
    {
        var logs = new ConcurrentQueue<string>();
        var worker = await StartWorkerAsync(c =>
        {
            c["Hatchet:Token"] = HatchetStandIn.CreateToken(Guid.NewGuid().ToString(), _hatchet.Port);
            c["Hatchet:WorkerName"] = "stranger";
        }, logs);
        try
        {
            await WaitUntilAsync(() => logs.Any(l => l.Contains("Unauthenticated", StringComparison.Ordinal) && l.Contains("Hatchet:Token", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), "the worker to say Hatchet refused its token");
            Assert.DoesNotContain(_hatchet.Registrations, r => r.WorkerName == "stranger");
            Assert.DoesNotContain(_hatchet.Workflows.Values, w => w.Description.Contains("stranger", StringComparison.Ordinal));
        }
        finally
        {
            await StopAsync(worker);
        }
    }

    [Fact]
    public async Task WorkerWithTls_AgainstHatchetsPlainTextPort_SaysToSetTlsStrategyNone()
    {
        var logs = new ConcurrentQueue<string>();
        var worker = await StartWorkerAsync(c =>
        {
            c["Hatchet:TlsStrategy"] = HatchetOptions.Tls;
            c["Hatchet:WorkerName"] = "tls-worker";
        }, logs);
        try
        {
            await WaitUntilAsync(() => logs.Any(l => l.Contains("TLS handshake", StringComparison.Ordinal) && l.Contains("Hatchet:TlsStrategy=none", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10), $"the worker to say its TLS handshake failed and what to set; it said: {string.Join(" | ", logs)}");
            Assert.DoesNotContain(_hatchet.Registrations, r => r.WorkerName == "tls-worker");
        }
        finally
        {
            await StopAsync(worker);
        }
    }

    [Fact]
    public async Task Schedule_IsPutAsAHatchetCronWorkflow_AFiredTickStartsOneRun_AndPausingWithdrawsTheTrigger()
    {
        // A schedule as the Api creates it (IWorkflowScheduler over ScheduleStore), of a workflow this worker runs.
        var name = "nightly-" + Guid.NewGuid().ToString("n")[..6];
        await using (var db = _database.CreateContext())
        {
            Assert.True(await new EmbeddedWorkflowScheduler(new ScheduleStore(db, TimeProvider.System)).CreateAsync(
                new ScheduleDefinition(name, "count", JsonSerializer.SerializeToElement(new { nightly = true }), "acme", "*/5 * * * *", null, "user"), Cancellation));
        }

        var id = (await _database.ScalarAsync<Guid>("SELECT id FROM workflow_schedules WHERE name = $1", name))!;
        var workflow = HatchetSchedules.WorkflowName(id);
        await WaitUntilAsync(() => _hatchet.Workflows.ContainsKey(workflow), TimeSpan.FromSeconds(10), $"{workflow} put to Hatchet");
        var put = _hatchet.Workflows[workflow];
        Assert.Equal(["*/5 * * * *"], put.CronTriggers);
        var cronInput = JsonNode.Parse(put.CronInput)!;
        Assert.Equal((id.ToString(), name), (cronInput["scheduleId"]!.GetValue<string>(), cronInput["name"]!.GetValue<string>()));
        Assert.Equal(HatchetSchedules.FireAction, Assert.Single(put.Tasks).Action);
        await WaitUntilAsync(() => !_hatchet.Registrations.IsEmpty, TimeSpan.FromSeconds(10), "the worker registered");
        Assert.Contains(HatchetSchedules.FireAction, Assert.Single(_hatchet.Registrations).Actions);

        // Hatchet fires the tick twice (a duplicate fire): one platform run, relayed to Hatchet and run once.
        var tick = new DateTimeOffset(2026, 12, 1, 20, 5, 0, TimeSpan.Zero);
        string[] fires = [_hatchet.FireCron(workflow, tick), _hatchet.FireCron(workflow, tick)];
        await WaitUntilAsync(() => fires.All(f => _hatchet.Runs[f].Status == "COMPLETED"), TimeSpan.FromSeconds(10), "both fires completed");
        var key = SchedulePolicy.IdempotencyKey(id, tick);
        var run = (await _database.ScalarAsync<Guid>("SELECT id FROM workflow_runs WHERE idempotency_key = $1", key))!;
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(run));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM executions WHERE run_id = $1", run));
        Assert.Equal(("count", true), (Assert.Single(_hatchet.Triggers).WorkflowName, JsonNode.Parse(Assert.Single(_hatchet.Triggers).Input.ToStringUtf8())!["nightly"]!.GetValue<bool>()));
        Assert.Equal(run, await _database.ScalarAsync<Guid>("SELECT last_run_id FROM workflow_schedules WHERE id = $1", id));
        var outputs = fires.Select(f => _hatchet.Runs[f].Outputs[HatchetSchedules.FireTask]!).ToList();
        Assert.Single(outputs, o => o["run"]?.GetValue<Guid>() == run);

        // Paused: put again without the trigger, so Hatchet no longer fires it; resumed: the trigger is back.
        await using (var db = _database.CreateContext())
        {
            Assert.True(await new ScheduleStore(db, TimeProvider.System).SetPausedAsync(name, true, Cancellation));
        }

        await WaitUntilAsync(() => _hatchet.Workflows[workflow].CronTriggers.Count == 0, TimeSpan.FromSeconds(10), "the trigger withdrawn");
        Assert.Throws<InvalidOperationException>(() => _hatchet.FireCron(workflow, tick.AddMinutes(5)));
        await using (var db = _database.CreateContext())
        {
            Assert.True(await new ScheduleStore(db, TimeProvider.System).SetPausedAsync(name, false, Cancellation));
        }

        await WaitUntilAsync(() => _hatchet.Workflows[workflow].CronTriggers.Count == 1, TimeSpan.FromSeconds(10), "the trigger back");
    }

    [Fact]
    public async Task ScheduleDeletedWhileNoWorkerRan_IsFiredOnce_StartsNothing_AndLosesItsTrigger()
    {
        // Hatchet still holds the trigger of a schedule deleted while the Workers were down (no pass saw it go).
        var id = Guid.NewGuid();
        var workflow = HatchetSchedules.WorkflowName(id);
        var (_, admin, channel) = Client();
        using (channel)
        {
            await admin.PutWorkflowAsync(HatchetSchedules.Registration(new HatchetScheduleState(id, "gone", "0 * * * *", false)), cancellationToken: Cancellation);
        }

        var fire = _hatchet.FireCron(workflow, new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
        await WaitUntilAsync(() => _hatchet.Runs[fire].Status == "COMPLETED", TimeSpan.FromSeconds(10), "the fire completed");
        Assert.Contains("deleted", _hatchet.Runs[fire].Outputs[HatchetSchedules.FireTask]!["skipped"]!.GetValue<string>(), StringComparison.Ordinal);
        await WaitUntilAsync(() => _hatchet.Workflows[workflow].CronTriggers.Count == 0, TimeSpan.FromSeconds(10), "the trigger withdrawn");
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));
    }

    [Fact]
    public async Task StandIn_RefusesWhatHatchetRefuses()
    {
        var (dispatcher, admin, channel) = Client();
        using (channel)
        {
            // Durations outside Hatchet's grammar (a number needs its unit; no spaces).
            foreach (var timeout in new[] { "60", "1 m", "-5s", "5 s" })
            {
                var workflow = new Core.Workflows.Hatchet.Contracts.V1.CreateWorkflowVersionRequest { Name = "probe" };
                workflow.Tasks.Add(new Core.Workflows.Hatchet.Contracts.V1.CreateTaskOpts { ReadableId = "one", Action = "probe:one", Timeout = timeout });
                var refused = await Assert.ThrowsAsync<RpcException>(() => admin.PutWorkflowAsync(workflow, cancellationToken: Cancellation).ResponseAsync);
                Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            }

            // Cron triggers as Hatchet's robfig/cron validator reads them; the platform's validator refuses each of these too.
            foreach (var cron in new[] { "0 0 * * 7", "0 0 L * *", "0 0 * * 5#3", "0 0 15W * *", "@daily", "0 0 * *", "61 * * * *" })
            {
                Assert.False(CronSchedule.TryParse(cron, out _, out _), cron);
                var workflow = HatchetSchedules.Registration(new HatchetScheduleState(Guid.NewGuid(), "probe", cron, false));
                var refused = await Assert.ThrowsAsync<RpcException>(() => admin.PutWorkflowAsync(workflow, cancellationToken: Cancellation).ResponseAsync);
                Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
                Assert.Equal("Validation failed with the following errors:\n0: validation failed on field 'CreateWorkflowVersionOpts.CronTriggers[0]': Invalid cron expression\n",
                    refused.Status.Detail);
                Assert.False(_hatchet.Workflows.ContainsKey(workflow.Name));
            }

            // What Hatchet accepts beyond the platform (seconds, '?', a time zone) it accepts here too.
            foreach (var cron in new[] { "*/5 * * * *", "30 0 9 * * mon-fri", "0 0 ? * SUN", "CRON_TZ=UTC 0 3 * * *", "0 9-17/2 * * 0,6" })
            {
                await admin.PutWorkflowAsync(HatchetSchedules.Registration(new HatchetScheduleState(Guid.NewGuid(), "probe", cron, false)), cancellationToken: Cancellation);
            }

            foreach (var increment in new[] { "3", "1.5 s", "" })
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => dispatcher.RefreshTimeoutAsync(
                    new RefreshTimeoutRequest { TaskRunExternalId = Guid.NewGuid().ToString(), IncrementTimeoutBy = increment }, cancellationToken: Cancellation).ResponseAsync);
                Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            }

            var gone = await Assert.ThrowsAsync<RpcException>(() => dispatcher.RefreshTimeoutAsync(
                new RefreshTimeoutRequest { TaskRunExternalId = Guid.NewGuid().ToString(), IncrementTimeoutBy = "1500ms" }, cancellationToken: Cancellation).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, gone.StatusCode);

            // Worker ids are UUIDs Hatchet issued: a name is not one, an unknown UUID is not found.
            var notAnId = await Assert.ThrowsAsync<RpcException>(() => dispatcher.HeartbeatAsync(
                new HeartbeatRequest { WorkerId = "contract-worker" }, cancellationToken: Cancellation).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, notAnId.StatusCode);
            var unknown = await Assert.ThrowsAsync<RpcException>(() => dispatcher.HeartbeatAsync(
                new HeartbeatRequest { WorkerId = Guid.NewGuid().ToString() }, cancellationToken: Cancellation).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
            using var listen = dispatcher.ListenV2(new WorkerListenRequest { WorkerId = Guid.NewGuid().ToString() }, cancellationToken: Cancellation);
            var notListening = await Assert.ThrowsAsync<RpcException>(() => listen.ResponseStream.MoveNext(Cancellation));
            Assert.Equal(StatusCode.NotFound, notListening.StatusCode);
        }

        // A token of another tenant (or another Hatchet) is refused on every call.
        var (stranger, _, strangerChannel) = Client(HatchetStandIn.CreateToken(Guid.NewGuid().ToString(), _hatchet.Port));
        using (strangerChannel)
        {
            Assert.Equal(StatusCode.Unauthenticated, (await RefusedRegistrationAsync(stranger, "stranger")).StatusCode);
        }
    }

    [Fact]
    public async Task CancelTheApiCouldNotTellHatchet_IsRecordedAsSuch_AndStopsTheRunningStepWhenTheWorkerChecks()
    {
        var run = await EnqueueAsync("hold", new { holdMs = 60_000 });
        await WaitUntilAsync(() => _hatchet.Events.Any(e => e.ActionId == "hold:hold" && e.EventType == StepActionEventType.StepEventTypeStarted),
            TimeSpan.FromSeconds(10), "the step to start");

        // The Api's engine contract with Hatchet named but not configured (no token): it starts, stores runs, and cancels.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Workflows:Engine"] = "hatchet" }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDbContext<SfpDbContext>(o => o.UseNpgsql(_database.ConnectionString).UseSfpConventions());
        services.AddWorkflowEngine(configuration);
        await using var api = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Guid stored;
        await using (var scope = api.CreateAsyncScope())
        {
            var engine = scope.ServiceProvider.GetRequiredService<IWorkflowEngine>();
            Assert.IsType<HatchetWorkflowEngine>(engine);
            stored = (await engine.TriggerAsync(new WorkflowTrigger("count", JsonSerializer.SerializeToElement(new { stored = true })), Cancellation))!.Value;
            Assert.True(await engine.CancelAsync(run, Cancellation));
        }

        var error = await _database.ScalarAsync<string>("SELECT error FROM workflow_runs WHERE id = $1", run);
        Assert.Contains("Hatchet was not told", error, StringComparison.Ordinal);
        Assert.Contains("Hatchet:Token is not set", error, StringComparison.Ordinal);
        Assert.Empty(_hatchet.Cancels);

        // The worker finds the cancel in the platform's record at its next refresh, stops the step and ends the task in Hatchet.
        Assert.Equal(RunStatuses.Cancelled, await WaitForEndAsync(run, TimeSpan.FromSeconds(10)));
        Assert.Equal(WorkflowStepStatus.Cancelled, await _database.ScalarAsync<string>("SELECT status FROM workflow_step_runs WHERE run_id = $1", run));
        var task = _hatchet.Assigned.Single(a => a.ActionId == "hold:hold").TaskRunExternalId;
        await WaitUntilAsync(() => _hatchet.Events.Any(e => e.TaskRunExternalId == task && e.EventType == StepActionEventType.StepEventTypeFailed && e.ShouldNotRetry),
            TimeSpan.FromSeconds(10), "the task to be ended in Hatchet, not to be retried");

        // The run the Hatchet-less Api stored is relayed and run by the workers.
        Assert.Equal(RunStatuses.Succeeded, await WaitForEndAsync(stored));
    }

    private static Task<RpcException> RefusedRegistrationAsync(Dispatcher.DispatcherClient dispatcher, string workerName)
    {
        var request = new WorkerRegisterRequest { WorkerName = workerName, Slots = 1 };
        request.Actions.Add("count:record");
        return Assert.ThrowsAsync<RpcException>(() => dispatcher.RegisterAsync(request, cancellationToken: Cancellation).ResponseAsync);
    }

    private async Task<List<string>> StepsAsync(Guid run)
    {
        await using var db = _database.CreateContext();
        return await db.Database.SqlQuery<string>($"SELECT step AS \"Value\" FROM executions WHERE run_id = {run} ORDER BY at").ToListAsync(Cancellation);
    }

    private async Task<List<int>> AttemptsAsync(Guid run)
    {
        await using var db = _database.CreateContext();
        return await db.Database.SqlQuery<int>($"SELECT attempt AS \"Value\" FROM executions WHERE run_id = {run} ORDER BY attempt").ToListAsync(Cancellation);
    }
}
