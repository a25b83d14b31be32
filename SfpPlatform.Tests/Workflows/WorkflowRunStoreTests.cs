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
        // Each run the workers held was superseded (asked to stop); every enqueue added its run.
        Assert.Equal(12L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE status = 'running' AND cancel_requested"));
        Assert.Equal(12L + enqueued, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));
    }

    /// <summary>One run of the pull request, enqueued as the webhook intake does: in a transaction that has written before (its delivery).</summary>
    private async Task<Guid> EnqueueAsync(bool transaction)
    {
        await using var db = _database.CreateContext();
        var store = new WorkflowRunStore(db, TimeProvider.System);
        var trigger = new WorkflowTrigger(WorkflowNames.Validate, JsonSerializer.SerializeToElement(new { })) { ConcurrencyKey = Key };
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
