using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using SfpPlatform.Topology;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.Engine;
using SfpPlatform.Workers.Engine.Embedded;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// The embedded engine against real Postgres (a database of its own): independent workers, each with its own data
/// source and loops, claiming with SKIP LOCKED; retries, timeouts, non-retryable errors, cancellation.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EmbeddedEngineTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres))!);
        await _database.ScalarAsync<object?>("CREATE TABLE executions (run_id uuid NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
        await _database.ScalarAsync<object?>("CREATE TABLE step_starts (run_id uuid NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task ThousandRuns_OverTwoWorkerProcessesOfFourLoops_AreEachExecutedExactlyOnce()
    {
        const int runs = 1000;
        using var first = StartWorkerProcess("worker-a", lease: 30);
        using var second = StartWorkerProcess("worker-b", lease: 30);
        await using (var db = _database.CreateContext())
        {
            var queue = new WorkflowRunStore(db, TimeProvider.System);
            for (var i = 0; i < runs; i++)
            {
                await queue.EnqueueAsync(new WorkflowTrigger("count", JsonSerializer.SerializeToElement(new { i })), Cancellation);
            }
        }

        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM workflow_runs WHERE status = 'succeeded'") == runs, TimeSpan.FromMinutes(2));

        Assert.Equal(runs, await CountAsync("SELECT count(*) FROM executions"));
        Assert.Equal(runs, await CountAsync("SELECT count(DISTINCT run_id) FROM executions"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM workflow_runs WHERE attempt <> 1"));
        // Both processes took part, and more than one loop in each.
        Assert.True(await CountAsync("SELECT count(DISTINCT worker) FROM executions WHERE worker LIKE 'worker-a/%'") > 1);
        Assert.True(await CountAsync("SELECT count(DISTINCT worker) FROM executions WHERE worker LIKE 'worker-b/%'") > 1);
    }

    [Fact]
    public async Task WorkerProcessKilledMidStep_RunIsTakenOverAfterItsLease_AndCompletesOnce()
    {
        using var doomed = StartWorkerProcess("doomed", lease: 2);
        var runId = await TriggerAsync("hold", new { holdMs = 4000 });
        await WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM step_starts") == 1, TimeSpan.FromSeconds(30));

        doomed.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        using var survivor = StartWorkerProcess("survivor", lease: 2);
        var state = await WaitForEndAsync(runId);

        Assert.Equal("succeeded", state.Status);
        Assert.Equal(2, state.Attempt);
        Assert.True(state.FinishedAt >= killedAt.AddSeconds(1), "taken over only once the lease had expired");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM executions"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM executions WHERE worker LIKE 'survivor/%'"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM step_starts"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM workflow_step_runs WHERE run_id = '{runId}' AND status = 'abandoned'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM workflow_step_runs WHERE run_id = '{runId}' AND status = 'succeeded'"));
        ReliabilityReport.Record(ReliabilityReport.Faults, "A worker process killed mid-step",
            ("worker processes killed", 1), ("runs", 1), ("claims", state.Attempt), ("completed executions", 1), ("lost", 0), ("doubled", 0));
    }

    [Fact]
    public async Task FailingStep_IsRetriedWithBackoff_ThenSucceeds_AndCompletedStepsAreNotRepeated()
    {
        var attempts = new ConcurrentQueue<(int Attempt, DateTimeOffset At)>();
        var firstStepRuns = 0;
        var workflow = new WorkflowDefinition("flaky",
        [
            new StepDefinition("prepare", _ => { Interlocked.Increment(ref firstStepRuns); return Task.CompletedTask; }),
            new StepDefinition("call", ctx =>
            {
                attempts.Enqueue((ctx.Attempt, DateTimeOffset.UtcNow));
                return ctx.Attempt < 3 ? throw new HttpRequestException("503 from the provider") : Task.CompletedTask;
            })
            { Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5), Jitter: 0) },
        ]);
        await using var worker = await StartWorkerAsync("retry", workflow);

        var runId = await TriggerAsync("flaky");
        var state = await WaitForEndAsync(runId);

        Assert.Equal("succeeded", state.Status);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        var at = attempts.Select(a => a.At).ToArray();
        Assert.True(at[1] - at[0] >= TimeSpan.FromMilliseconds(380), $"first backoff {(at[1] - at[0]).TotalMilliseconds} ms");
        Assert.True(at[2] - at[1] >= TimeSpan.FromMilliseconds(780), $"second backoff {(at[2] - at[1]).TotalMilliseconds} ms (doubled)");
        Assert.Equal(1, firstStepRuns);
        Assert.Equal(2, await CountAsync($"SELECT count(*) FROM workflow_step_runs WHERE run_id = '{runId}' AND status = 'failed'"));
    }

    [Fact]
    public async Task NonRetryableError_FailsTheRunAtOnce()
    {
        var calls = 0;
        var workflow = new WorkflowDefinition("refused",
        [
            new StepDefinition("check", _ =>
            {
                Interlocked.Increment(ref calls);
                throw new NonRetryableStepException("the commenter has no write permission");
            }) { Retry = new RetryPolicy(5, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)) },
            new StepDefinition("never", _ => throw new InvalidOperationException("must not run")),
        ]);
        await using var worker = await StartWorkerAsync("nonretryable", workflow);

        var state = await WaitForEndAsync(await TriggerAsync("refused"));

        Assert.Equal("failed", state.Status);
        Assert.Contains("no write permission", state.Error, StringComparison.Ordinal);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task StepTimeout_StopsTheStep_AndCountsAsAFailedAttempt()
    {
        var workflow = new WorkflowDefinition("slow",
        [
            new StepDefinition("hang", ctx => Task.Delay(Timeout.InfiniteTimeSpan, ctx.CancellationToken))
            { Timeout = TimeSpan.FromMilliseconds(300), Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50)) },
        ]);
        await using var worker = await StartWorkerAsync("timeout", workflow);

        var runId = await TriggerAsync("slow");
        var state = await WaitForEndAsync(runId);

        Assert.Equal("failed", state.Status);
        Assert.Contains("timed out", state.Error, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync($"SELECT count(*) FROM workflow_step_runs WHERE run_id = '{runId}' AND status = 'timed-out'"));
    }

    [Fact]
    public async Task NewerRunOfTheSamePullRequest_CancelsTheOneInProgress()
    {
        var started = new ConcurrentDictionary<Guid, TaskCompletionSource>();
        var workflow = new WorkflowDefinition("validate-pr",
        [
            new StepDefinition("run", async ctx =>
            {
                started.GetOrAdd(ctx.RunId, _ => new TaskCompletionSource()).TrySetResult();
                await Task.Delay(ctx.Input.GetProperty("hold").GetBoolean() ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, ctx.CancellationToken);
            }),
        ]);
        await using var worker = await StartWorkerAsync("cancel", workflow, lease: TimeSpan.FromSeconds(1.5));

        var older = await TriggerAsync("validate-pr", new { hold = true }, concurrencyKey: "github:o/r:pr:7");
        await started.GetOrAdd(older, _ => new TaskCompletionSource()).Task.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);
        var newer = await TriggerAsync("validate-pr", new { hold = false }, concurrencyKey: "github:o/r:pr:7");

        var olderState = await WaitForEndAsync(older);
        var newerState = await WaitForEndAsync(newer);

        Assert.Equal("cancelled", olderState.Status);
        Assert.Equal("succeeded", newerState.Status);
        Assert.True(newerState.StartedAt >= olderState.FinishedAt, "the newer run waited for the older one to stop");
    }

    [Fact]
    public async Task CancellingAQueuedRun_MeansItNeverStarts_AndAnIdempotencyKeyAddsOneRun()
    {
        await using (var db = _database.CreateContext())
        {
            var engine = new EmbeddedWorkflowEngine(new WorkflowRunStore(db, TimeProvider.System));
            var runId = (await engine.TriggerAsync(new WorkflowTrigger("nobody-runs-this", JsonSerializer.SerializeToElement(new { })), Cancellation))!.Value;

            Assert.True(await engine.CancelAsync(runId, Cancellation));
            Assert.Equal("cancelled", (await engine.StatusAsync(runId, Cancellation))!.Status);
            Assert.False(await engine.CancelAsync(runId, Cancellation));
            var once = new WorkflowTrigger("x", JsonSerializer.SerializeToElement(new { })) { IdempotencyKey = "k1" };
            Assert.NotNull(await engine.TriggerAsync(once, Cancellation));
            Assert.Null(await engine.TriggerAsync(once, Cancellation));
        }
    }

    private async Task RecordExecutionAsync(StepContext context)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync(context.CancellationToken);
        await using var command = new NpgsqlCommand("INSERT INTO executions (run_id, worker) SELECT $1, lease_owner FROM workflow_runs WHERE id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = context.RunId });
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    /// <summary>A real worker process (the embedded engine with the "count" and "hold" test workflows).</summary>
    private WorkerProcess StartWorkerProcess(string name, double lease) =>
        new(TestProcess.Start("dotnet",
            [RepositoryPaths.ProjectAssembly("SfpPlatform.Tests.WorkerHost"),
             new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = true }.ConnectionString, name, "4",
             lease.ToString(System.Globalization.CultureInfo.InvariantCulture)]));

    /// <summary>A worker process, killed at the end of the test if it is still running.</summary>
    private sealed class WorkerProcess(System.Diagnostics.Process process) : IDisposable
    {
        public void Kill()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                Kill();
            }

            process.Dispose();
        }
    }

    private async Task<RunningWorker> StartWorkerAsync(string name, WorkflowDefinition workflow, TimeSpan? lease = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(workflow);
        builder.Services.AddEmbeddedWorkflowWorker(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Pooling = true }.ConnectionString);
        builder.Services.Configure<WorkflowEngineOptions>(o =>
        {
            o.WorkerName = name;
            o.Loops = 4;
            o.Lease = lease ?? TimeSpan.FromSeconds(10);
            o.PollInterval = TimeSpan.FromMilliseconds(200);
        });
        var host = builder.Build();
        await host.StartAsync(Cancellation);
        return new RunningWorker(host);
    }

    /// <summary>A worker host that is stopped (gracefully) and disposed at the end of a test.</summary>
    private sealed class RunningWorker(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
            host.Dispose();
        }
    }

    private async Task<Guid> TriggerAsync(string workflow, object? input = null, string? concurrencyKey = null)
    {
        await using var db = _database.CreateContext();
        return (await new WorkflowRunStore(db, TimeProvider.System).EnqueueAsync(
            new WorkflowTrigger(workflow, JsonSerializer.SerializeToElement(input ?? new { })) { ConcurrencyKey = concurrencyKey }, Cancellation))!.Value;
    }

    private async Task<WorkflowRunState> WaitForEndAsync(Guid runId)
    {
        WorkflowRunState? state = null;
        await WaitUntilAsync(async () =>
        {
            await using var db = _database.CreateContext();
            state = await new EmbeddedWorkflowEngine(new WorkflowRunStore(db, TimeProvider.System)).StatusAsync(runId, Cancellation);
            return state?.Status is "succeeded" or "failed" or "cancelled";
        }, TimeSpan.FromMinutes(1));
        return state!;
    }

    private async Task<long> CountAsync(string sql) => (await _database.ScalarAsync<long>(sql))!;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(100, Cancellation);
        }
    }
}
