namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// When a schedule runs. A schedule is due once its <c>next_run_at</c> has passed; it then starts ONE run for the
/// latest occurrence that has passed, however many were missed (the scheduler was down, the database unreachable,
/// the schedule paused), and waits for the first occurrence after now. Catching up with one run per missed tick
/// would start a storm of identical runs after an outage; the work a schedule starts (a sweep, a nightly build)
/// covers what the missed runs would have done.
/// </summary>
public static class SchedulePolicy
{
    /// <summary>
    /// The tick to run now for a schedule due at <paramref name="nextRunAt"/>, or null when it is not due yet. A cron
    /// schedule runs for its latest occurrence in [<paramref name="nextRunAt"/>, <paramref name="now"/>]; a one-off
    /// (<paramref name="cron"/> null) runs for <paramref name="nextRunAt"/> and has no next.
    /// </summary>
    public static ScheduleTick? Due(CronSchedule? cron, DateTimeOffset nextRunAt, DateTimeOffset now)
    {
        if (nextRunAt > now)
        {
            return null;
        }

        if (cron is null)
        {
            return new ScheduleTick(nextRunAt, null, 1);
        }

        var (tick, missed) = (nextRunAt, 0);
        foreach (var occurrence in cron.Between(nextRunAt, now))
        {
            (tick, missed) = (occurrence, missed + 1);
        }

        return new ScheduleTick(tick, cron.NextAfter(now), Math.Max(missed, 1));
    }

    /// <summary>When a schedule first runs (or runs again once resumed): its one-off time, or its first occurrence after now.</summary>
    public static DateTimeOffset? First(CronSchedule? cron, DateTimeOffset? at, DateTimeOffset now) =>
        cron is not null ? cron.NextAfter(now) : at;

    /// <summary>How the idempotency key of a scheduled run begins (the runs list tells scheduled runs by it).</summary>
    public const string IdempotencyKeyPrefix = "schedule:";

    /// <summary>The idempotency key of a schedule's run for a tick: a second trigger of the same tick adds no run.</summary>
    public static string IdempotencyKey(Guid scheduleId, DateTimeOffset tick) =>
        $"{IdempotencyKeyPrefix}{scheduleId:N}:{tick.UtcDateTime:yyyyMMdd'T'HHmmss.fffffff'Z'}";
}
