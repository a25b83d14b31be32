using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Topology;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Workflows;

/// <summary>The run store against real Postgres (a database of its own): enqueues that supersede under concurrency.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WorkflowRunStoreTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private const string Key = "github:acme/app:pr:1";

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() =>
        _database = await TestDatabase.CreateAsync((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres))!);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task EnqueuesOfOneConcurrencyKey_EachInItsIntakeTransaction_NeverDeadlock()
    {
        // Older runs of the pull request that workers hold, their leases renewed one by one meanwhile (which moves each
        // row's newest version, so two scans of the group can meet its rows in different orders).
        var running = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            running.Add(await EnqueueAsync(transaction: false));
        }

        await _database.ScalarAsync<object?>("UPDATE workflow_runs SET status = 'running', lease_owner = 'w', lease_expires_at = now() + interval '1 minute'");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(6));
        var renewer = Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(_database.ConnectionString);
            await connection.OpenAsync(Cancellation);
            while (!stop.IsCancellationRequested)
            {
                foreach (var id in running.OrderBy(_ => Random.Shared.Next()))
                {
                    await using var renew = new NpgsqlCommand("UPDATE workflow_runs SET lease_expires_at = now() + interval '1 minute' WHERE id = $1", connection);
                    renew.Parameters.Add(new NpgsqlParameter { Value = id });
                    await renew.ExecuteNonQueryAsync(Cancellation);
                }
            }
        }, Cancellation);

        var deadlocks = 0;
        var enqueued = 0;
        var deliveries = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await EnqueueAsync(transaction: true);
                    Interlocked.Increment(ref enqueued);
                }
                catch (Exception e) when (Deadlock(e))
                {
                    Interlocked.Increment(ref deadlocks);
                }
            }
        }, Cancellation)).ToArray();
        await Task.WhenAll(deliveries.Append(renewer));

        Assert.Equal(0, deadlocks);
        Assert.True(enqueued > 100, $"only {enqueued} enqueues in 6 s");
        // Each run the workers held is superseded (asked to stop) at its next lease renewal; every enqueue added its run.
        var store = WorkflowRunStore.ForWorkers(NpgsqlDataSource.Create(_database.ConnectionString));
        foreach (var id in running)
        {
            Assert.True(await store.RenewLeaseAsync(id, "w", TimeSpan.FromMinutes(1), Cancellation));
        }

        Assert.Equal(12L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE status = 'running' AND cancel_requested"));
        Assert.Equal(12L + enqueued, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));
    }

    [Fact]
    public async Task Supersede_IsLazy_AndOnlyWithinOneWorkflowsGroup()
    {
        var validate = ConcurrencyKeys.PullRequest("github", "acme/app", 3, WorkflowNames.Validate);
        var review = ConcurrencyKeys.PullRequest("github", "acme/app", 3, WorkflowNames.ReviewEnvironment);
        var store = WorkflowRunStore.ForWorkers(NpgsqlDataSource.Create(_database.ConnectionString));
        var first = await EnqueueAsync(transaction: false, validate);
        Assert.Equal(first, (await store.ClaimAsync("w1", TimeSpan.FromMinutes(1), [WorkflowNames.Validate], Cancellation))!.Id);

        // A run of another workflow of the same pull request (and a comment command, which has no key) leaves it alone.
        await EnqueueAsync(transaction: false, review, WorkflowNames.ReviewEnvironment);
        await EnqueueAsync(transaction: false, key: null, workflow: WorkflowNames.Command);
        Assert.False(await store.RenewLeaseAsync(first, "w1", TimeSpan.FromMinutes(1), Cancellation));

        // Two newer validations: enqueueing touches no other run; the running one hears it at its renewal.
        var second = await EnqueueAsync(transaction: false, validate);
        var third = await EnqueueAsync(transaction: false, validate);
        Assert.Equal("queued", await StatusAsync(second));
        Assert.True(await store.RenewLeaseAsync(first, "w1", TimeSpan.FromMinutes(1), Cancellation));
        await store.FinishAsync(first, "w1", "cancelled", "superseded", Cancellation);

        // The claim takes the newest and ends the older queued one.
        Assert.Equal(third, (await store.ClaimAsync("w2", TimeSpan.FromMinutes(1), [WorkflowNames.Validate], Cancellation))!.Id);
        Assert.Equal("cancelled", await StatusAsync(second));
        Assert.Null(await store.ClaimAsync("w3", TimeSpan.FromMinutes(1), [WorkflowNames.Validate], Cancellation));

        // Closing the pull request cancels its validation and review environment, and nothing else.
        await using var db = _database.CreateContext();
        var cancelled = await new WorkflowRunStore(db, TimeProvider.System).CancelGroupsAsync([validate, review], "cancelled: the pull request was closed", Cancellation);
        Assert.Equal([WorkflowNames.ReviewEnvironment, WorkflowNames.Validate], cancelled.Select(r => r.Workflow).Order(StringComparer.Ordinal));
        Assert.True(await store.RenewLeaseAsync(third, "w2", TimeSpan.FromMinutes(1), Cancellation));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE workflow = 'command' AND status = 'queued'"));
        ReliabilityReport.Record(ReliabilityReport.Faults, "Comment commands and bursts for one pull request", ("supersedes checked in the store", 1));
    }

    [Fact]
    public async Task AFirstClaim_StartsTheFirstStep_AndTheLastStepsSuccessEndsTheRun_OnlyForItsHolder()
    {
        var store = WorkflowRunStore.ForWorkers(NpgsqlDataSource.Create(_database.ConnectionString));
        var run = await EnqueueAsync(transaction: false, key: null);
        var lease = TimeSpan.FromMinutes(1);

        // The claim starts the first step's first attempt in the same statement, held by the claiming owner.
        var (claimed, owner) = Assert.Single(await store.ClaimBatchAsync(["w1", "w2"], lease, [WorkflowNames.Validate], ["prepare"], Cancellation));
        Assert.Equal((run, "w1"), (claimed.Id, owner));
        var stepRunId = Assert.IsType<long>(claimed.FirstStepRunId);
        Assert.Equal("prepare|1|running|w1", await _database.ScalarAsync<string>(
            "SELECT step || '|' || attempt || '|' || status || '|' || worker FROM workflow_step_runs WHERE id = $1", stepRunId));
        Assert.Equal("prepare", await _database.ScalarAsync<string>("SELECT current_step FROM workflow_runs WHERE id = $1", run));

        // A second claim of the run (given back, e.g. at shutdown) starts nothing: the engine reads the run's history first.
        await store.ReleaseAsync(run, "w1", TimeSpan.Zero, null, Cancellation);
        var again = Assert.Single(await store.ClaimBatchAsync(["w3"], lease, [WorkflowNames.Validate], ["prepare"], Cancellation)).Run;
        Assert.Equal((2, (long?)null), (again.Attempt, again.FirstStepRunId));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_step_runs WHERE run_id = $1", run));

        // A worker that no longer holds the run ends its step but not the run; the holder ends both at once.
        await store.FinishSucceededAsync(run, "w1", stepRunId, Cancellation);
        Assert.Equal("running", await StatusAsync(run));
        Assert.Equal("succeeded", await _database.ScalarAsync<string>("SELECT status FROM workflow_step_runs WHERE id = $1", stepRunId));
        await store.FinishSucceededAsync(run, "w3", stepRunId, Cancellation);
        Assert.Equal("succeeded", await StatusAsync(run));
        Assert.True(await _database.ScalarAsync<bool>("SELECT current_step IS NULL FROM workflow_runs WHERE id = $1", run));

        // A queued run already asked to stop is claimed (to be ended) without a step.
        var cancelled = await EnqueueAsync(transaction: false, key: null);
        await _database.ScalarAsync<object?>("UPDATE workflow_runs SET cancel_requested = true WHERE id = $1", cancelled);
        var stopped = Assert.Single(await store.ClaimBatchAsync(["w4"], lease, [WorkflowNames.Validate], ["prepare"], Cancellation)).Run;
        Assert.True(stopped.CancelRequested);
        Assert.Null(stopped.FirstStepRunId);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_step_runs WHERE run_id = $1", cancelled));
    }

    private async Task<string?> StatusAsync(Guid id) => await _database.ScalarAsync<string>("SELECT status FROM workflow_runs WHERE id = $1", id);

    /// <summary>One run of the pull request, enqueued as the webhook intake does: in a transaction that has written before (its delivery).</summary>
    private async Task<Guid> EnqueueAsync(bool transaction, string? key = Key, string workflow = WorkflowNames.Validate)
    {
        await using var db = _database.CreateContext();
        var store = new WorkflowRunStore(db, TimeProvider.System);
        var trigger = new WorkflowTrigger(workflow, JsonSerializer.SerializeToElement(new { })) { ConcurrencyKey = key };
        if (!transaction)
        {
            return (await store.EnqueueAsync(trigger, Cancellation))!.Value;
        }

        await using var tx = await db.Database.BeginTransactionAsync(Cancellation);
        var id = (await store.EnqueueAsync(trigger, Cancellation))!.Value;
        await Task.Delay(2, Cancellation);
        await tx.CommitAsync(Cancellation);
        return id;
    }

    private static bool Deadlock(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected })
            {
                return true;
            }
        }

        return false;
    }
}
