using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Contracts.Schedules;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Workflows.Schedules;

/// <summary>
/// The scheduler's tick against real Postgres (a database of its own), with the clock in the test's hands: schedulers
/// racing in parallel start each tick exactly once, and a schedule that missed many ticks starts one run; with the cron
/// ticks fired by the engine (Hatchet), the loop starts only one-offs and each fired tick starts one run.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ScheduleStoreTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);

    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() =>
        _database = await TestDatabase.CreateAsync((await platform.App.GetConnectionStringAsync(ServiceNames.Postgres))!);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task RacingSchedulers_StartEachTickExactlyOnce()
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await CreateAsync($"every-minute-{i}", "* * * * *"));
        }

        // Three ticks; on each, four schedulers (as in four Workers processes) look for due schedules at once.
        var started = new List<Guid>();
        for (var tick = 1; tick <= 3; tick++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => TickAsync(), Cancellation)));
            var fired = passes.SelectMany(p => p).ToList();
            Assert.Equal(20, fired.Count);
            Assert.All(fired, f => Assert.NotNull(f.RunId));
            started.AddRange(fired.Select(f => f.RunId!.Value));
        }

        Assert.Equal(60, started.Distinct().Count());
        Assert.Equal(60L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE workflow = 'build'"));
        Assert.Equal(60L, await _database.ScalarAsync<long>("SELECT count(DISTINCT idempotency_key) FROM workflow_runs"));
        // Nothing is due until the next minute.
        Assert.Empty(await TickAsync());
        ReliabilityReport.Record(ReliabilityReport.Faults, "Scheduled work",
            ("schedulers racing", 4), ("ticks due", 60), ("runs started, one per tick", 60));
    }

    [Fact]
    public async Task AfterDowntime_OneRunForAllMissedTicks()
    {
        Assert.True(await CreateAsync("nightly", "*/5 * * * *"));
        _time.Advance(TimeSpan.FromHours(6) + TimeSpan.FromMinutes(1)); // 72 ticks missed

        var fired = Assert.Single(await TickAsync());
        Assert.Equal(72, fired.Tick.Missed);
        Assert.Equal(Start.AddHours(6), fired.Tick.Tick);
        Assert.Empty(await TickAsync());
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));

        await using var db = _database.CreateContext();
        var schedule = Assert.Single(await new ScheduleStore(db, _time).ListAsync(Cancellation));
        Assert.Equal(Start.AddHours(6).AddMinutes(5), schedule.NextRunAt);
        Assert.Equal(fired.RunId, schedule.LastRunId);
        Assert.Equal("queued", schedule.LastRunStatus);
        ReliabilityReport.Record(ReliabilityReport.Faults, "Scheduled work", ("ticks missed during downtime", fired.Tick.Missed), ("catch-up runs", 1));
    }

    [Fact]
    public async Task OneOff_RunsOnce_AndPausedSchedulesWait()
    {
        await using (var db = _database.CreateContext())
        {
            var store = new ScheduleStore(db, _time);
            Assert.True(await store.CreateAsync(Definition("once", null, Start.AddMinutes(10)), Cancellation));
            Assert.False(await store.CreateAsync(Definition("once", "* * * * *", null), Cancellation));
            Assert.True(await store.CreateAsync(Definition("paused", "* * * * *", null), Cancellation));
            Assert.True(await store.SetPausedAsync("paused", true, Cancellation));
        }

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("once", Assert.Single(await TickAsync()).Name);
        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(await TickAsync());

        await using (var db = _database.CreateContext())
        {
            var store = new ScheduleStore(db, _time);
            Assert.True(await store.SetPausedAsync("paused", false, Cancellation));
            // Resumed: next at its first occurrence from now, the hour it was paused is not caught up.
            Assert.Equal(Start.AddHours(1).AddMinutes(1), (await store.FindAsync("paused", Cancellation))!.NextRunAt);
        }
    }

    [Fact]
    public async Task CronFiredByTheEngine_TheLoopStartsOnlyOneOffs_AndEachFiredTickOnce()
    {
        Assert.True(await CreateAsync("five", "*/5 * * * *"));
        await using (var db = _database.CreateContext())
        {
            Assert.True(await new ScheduleStore(db, _time).CreateAsync(Definition("once", null, Start.AddMinutes(10)), Cancellation));
        }

        _time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("once", Assert.Single(await TickAsync(cronFiredByEngine: true)).Name);

        // Hatchet fires the 10:30 tick twice: one run, the same idempotency key as the loop's tick would have had.
        var id = await _database.ScalarAsync<Guid>("SELECT id FROM workflow_schedules WHERE name = 'five'");
        var tick = Start.AddMinutes(30);
        var first = await FireAsync(id, tick, "*/5 * * * *");
        var second = await FireAsync(id, tick, "*/5 * * * *");
        Assert.Equal(("five", true, true), (first.Name, first.Started, first.RunId.HasValue));
        Assert.Equal((true, (Guid?)null), (second.Started, second.RunId));
        Assert.Equal(first.RunId, await _database.ScalarAsync<Guid>("SELECT id FROM workflow_runs WHERE idempotency_key = $1", SchedulePolicy.IdempotencyKey(id, tick)));
        // The schedule's next run moved on, so the loop (were the engine switched back) does not start 10:30 again.
        Assert.Empty(await TickAsync());
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));

        // A fire from a registration of another cron, of a paused or of a deleted schedule starts nothing.
        var stale = await FireAsync(id, tick.AddMinutes(5), "0 * * * *");
        Assert.Equal((false, false), (stale.Started, stale.Withdraw));
        await using (var db = _database.CreateContext())
        {
            Assert.True(await new ScheduleStore(db, _time).SetPausedAsync("five", true, Cancellation));
        }

        var paused = await FireAsync(id, tick.AddMinutes(5), "*/5 * * * *");
        Assert.Equal((false, true, "the schedule is paused"), (paused.Started, paused.Withdraw, paused.Skipped));
        var gone = await FireAsync(Guid.NewGuid(), tick.AddMinutes(5), "*/5 * * * *");
        Assert.Equal((false, true, null), (gone.Started, gone.Withdraw, gone.Name));
        Assert.Equal(2L, await _database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs"));
    }

    private async Task<ScheduleFire> FireAsync(Guid id, DateTimeOffset tick, string cron)
    {
        await using var db = _database.CreateContext();
        return await new ScheduleStore(db, _time).FireAsync(id, tick, cron, new EmbeddedWorkflowEngine(new WorkflowRunStore(db, _time)), Cancellation);
    }

    private async Task<bool> CreateAsync(string name, string cron)
    {
        await using var db = _database.CreateContext();
        return await new ScheduleStore(db, _time).CreateAsync(Definition(name, cron, null), Cancellation);
    }

    private static ScheduleDefinition Definition(string name, string? cron, DateTimeOffset? at) =>
        new(name, WorkflowNames.Build, JsonSerializer.SerializeToElement(new { schedule = name }), "acme", cron, at, ScheduleOwners.User);

    /// <summary>One scheduler's tick, with a context and engine of its own (as a Workers process has).</summary>
    private async Task<IReadOnlyList<(string Name, ScheduleTick Tick, Guid? RunId)>> TickAsync(bool cronFiredByEngine = false)
    {
        await using var db = _database.CreateContext();
        return await new ScheduleStore(db, _time).TriggerDueAsync(new EmbeddedWorkflowEngine(new WorkflowRunStore(db, _time)), 50, Cancellation, cronFiredByEngine);
    }
}
