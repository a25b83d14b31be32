using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.UnitTests.Core.Workflows.Schedules;

/// <summary>Five-field cron in UTC: valid expressions and their next occurrences; invalid ones named by the wrong field.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 10, 7, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("*/5 * * * *", "2026-11-30T10:10:00Z")]
    [InlineData("0 * * * *", "2026-11-30T11:00:00Z")]
    [InlineData("17 3 * * *", "2026-12-01T03:17:00Z")]
    [InlineData("0 9 * * MON-FRI", "2026-12-01T09:00:00Z")]
    [InlineData("0 0 1 JAN *", "2027-01-01T00:00:00Z")]
    [InlineData("30 6,18 * * 0", "2026-12-06T06:30:00Z")]
    [InlineData("0 12 * * SUN", "2026-12-06T12:00:00Z")]
    [InlineData("0 12 * * fri-sat", "2026-12-04T12:00:00Z")]
    [InlineData("  5   4 * *   *  ", "2026-12-01T04:05:00Z")]
    public void Valid_NextOccurrenceIsInUtc(string expression, string next)
    {
        Assert.True(CronSchedule.TryParse(expression, out var cron, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), cron.NextAfter(Monday));
    }

    [Fact]
    public void NextAfter_IsStrictlyAfter()
    {
        var cron = CronSchedule.Parse("*/5 * * * *");
        var tick = new DateTimeOffset(2026, 11, 30, 10, 10, 0, TimeSpan.Zero);
        Assert.Equal(tick.AddMinutes(5), cron.NextAfter(tick));
    }

    [Fact]
    public void NextAfter_ReadsTheTimeInUtc_WhateverItsOffset()
    {
        var cron = CronSchedule.Parse("0 3 * * *");
        var inBerlin = new DateTimeOffset(2026, 11, 30, 3, 30, 0, TimeSpan.FromHours(1)); // 02:30 UTC
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), cron.NextAfter(inBerlin));
    }

    [Theory]
    [InlineData("* * * *", "has 4 field(s)")]
    [InlineData("* * * * * *", "has 6 field(s)")]
    [InlineData("", "has 0 field(s)")]
    [InlineData("60 * * * *", "minute: '60': 60 is out of range 0-59")]
    [InlineData("* 24 * * *", "hour: '24': 24 is out of range 0-23")]
    [InlineData("* * 0 * *", "day of month: '0': 0 is out of range 1-31")]
    [InlineData("* * * 13 *", "month: '13': 13 is out of range 1-12")]
    [InlineData("* * * * 8", "day of week: '8': 8 is out of range 0-6")]
    [InlineData("0 12 * * 7", "day of week: '7': 7 is out of range 0-6")]
    [InlineData("0 12 * * 5-7", "day of week: '5-7': 7 is out of range 0-6")]
    [InlineData("0 12 ? * MON", "day of month: '?': '?' is not a number")]
    [InlineData("0 12 * * 5L", "day of week: '5L': '5L' is not a number or a name")]
    [InlineData("0 12 15W * *", "day of month: '15W': '15W' is not a number")]
    [InlineData("@daily", "has 1 field(s)")]
    [InlineData("CRON_TZ=UTC 0 12 * * *", "has 6 field(s)")]
    [InlineData("* * * FOO *", "month: 'FOO': 'FOO' is not a number or a name")]
    [InlineData("*/0 * * * *", "minute: '*/0': the step '0' must be a whole number from 1 to 59")]
    [InlineData("* 5-2 * * *", "hour: '5-2': the range 5-2 runs backwards")]
    [InlineData("1,,2 * * * *", "minute: '' in '1,,2': an empty list item")]
    [InlineData("* * L * *", "day of month: 'L': 'L' is not a number")]
    [InlineData("* * * * 1#2", "day of week: '1#2': '1#2' is not a number or a name")]
    [InlineData("1,99 * * * *", "minute: '99' in '1,99': 99 is out of range 0-59")]
    public void Invalid_NamesTheField(string expression, string expected)
    {
        Assert.False(CronSchedule.TryParse(expression, out var cron, out var error));
        Assert.Null(cron);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<FormatException>(() => CronSchedule.Parse(expression)).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Hatchet validates cron triggers with robfig/cron v3 (seconds optional, no descriptors: day of week 0-6, three-letter
    /// names, no L, W or #). What Cronos reads but robfig refuses is refused here too, so the Api answers 400 rather
    /// than Hatchet refusing the schedule's workflow in the Workers; and what the validator accepts, robfig accepts.
    /// </summary>
    [Theory]
    [InlineData("0 0 * * 7")]
    [InlineData("0 0 * * 0-7")]
    [InlineData("0 0 L * *")]
    [InlineData("0 0 LW * *")]
    [InlineData("0 0 15W * *")]
    [InlineData("0 0 * * 5#3")]
    [InlineData("0 0 * * 5L")]
    [InlineData("0 0 * * MONDAY")]
    [InlineData("0 0 1 JANUARY *")]
    public void WhatHatchetRefuses_IsRefused(string expression) =>
        Assert.False(CronSchedule.TryParse(expression, out _, out _), $"'{expression}' passed, but Hatchet's cron parser refuses it");

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 9-17/2 * * mon-fri")]
    [InlineData("15 3 1,15 JAN,jul *")]
    [InlineData("5/10 * * * *")]
    [InlineData("0 0 * * 0,6")]
    public void WhatTheValidatorAccepts_HatchetAcceptsToo(string expression) =>
        Assert.True(CronSchedule.TryParse(expression, out _, out var error), error);

    [Fact]
    public void NeverOccurring_HasNoNext()
    {
        Assert.True(CronSchedule.TryParse("0 0 30 2 *", out var cron, out _));
        Assert.Null(cron.NextAfter(Monday));
    }
}
