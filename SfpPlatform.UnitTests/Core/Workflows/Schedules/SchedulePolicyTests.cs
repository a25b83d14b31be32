using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.UnitTests.Core.Workflows.Schedules;

/// <summary>When a schedule runs, and how it catches up after downtime: one run for all missed ticks, never a storm.</summary>
public sealed class SchedulePolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NotDue_BeforeNextRun()
    {
        var time = new FakeTimeProvider(Start);
        var cron = CronSchedule.Parse("*/5 * * * *");
        var next = SchedulePolicy.First(cron, null, time.GetUtcNow())!.Value;
        Assert.Equal(Start.AddMinutes(5), next);
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(SchedulePolicy.Due(cron, next, time.GetUtcNow()));
    }

    [Fact]
    public void OnTime_RunsTheTick_AndWaitsForTheNext()
    {
        var time = new FakeTimeProvider(Start);
        var cron = CronSchedule.Parse("*/5 * * * *");
        var next = SchedulePolicy.First(cron, null, time.GetUtcNow())!.Value;
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(3));

        var tick = SchedulePolicy.Due(cron, next, time.GetUtcNow());

        Assert.Equal(new ScheduleTick(Start.AddMinutes(5), Start.AddMinutes(10), 1), tick);
    }

    [Fact]
    public void AfterDowntime_OneRunForTheLatestMissedTick()
    {
        var time = new FakeTimeProvider(Start);
        var cron = CronSchedule.Parse("*/5 * * * *");
        var next = SchedulePolicy.First(cron, null, time.GetUtcNow())!.Value;
        time.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(2)); // 13:02: 36 ticks passed (10:05 … 13:00)

        var tick = SchedulePolicy.Due(cron, next, time.GetUtcNow())!;

        Assert.Equal(Start.AddHours(3), tick.Tick);
        Assert.Equal(36, tick.Missed);
        Assert.Equal(Start.AddHours(3).AddMinutes(5), tick.Next);
        // The schedule is not due again until its next occurrence: the 35 other missed ticks start nothing.
        Assert.Null(SchedulePolicy.Due(cron, tick.Next!.Value, time.GetUtcNow()));
    }

    [Fact]
    public void OneOff_RunsOnce_AndHasNoNext()
    {
        var time = new FakeTimeProvider(Start);
        var at = Start.AddMinutes(30);
        var next = SchedulePolicy.First(null, at, time.GetUtcNow())!.Value;
        Assert.Null(SchedulePolicy.Due(null, next, time.GetUtcNow()));
        time.Advance(TimeSpan.FromDays(2));
        Assert.Equal(new ScheduleTick(at, null, 1), SchedulePolicy.Due(null, next, time.GetUtcNow()));
    }

    [Fact]
    public void IdempotencyKey_IsOnePerScheduleAndTick()
    {
        var schedule = Guid.NewGuid();
        var tick = Start.AddMinutes(5);
        Assert.Equal(SchedulePolicy.IdempotencyKey(schedule, tick), SchedulePolicy.IdempotencyKey(schedule, tick.ToOffset(TimeSpan.FromHours(2))));
        Assert.NotEqual(SchedulePolicy.IdempotencyKey(schedule, tick), SchedulePolicy.IdempotencyKey(schedule, tick.AddMinutes(5)));
        Assert.NotEqual(SchedulePolicy.IdempotencyKey(schedule, tick), SchedulePolicy.IdempotencyKey(Guid.NewGuid(), tick));
        Assert.StartsWith(SchedulePolicy.IdempotencyKeyPrefix, SchedulePolicy.IdempotencyKey(schedule, tick), StringComparison.Ordinal);
    }
}
