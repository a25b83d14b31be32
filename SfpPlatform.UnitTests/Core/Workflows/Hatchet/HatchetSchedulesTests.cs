using System.Text.Json;
using System.Text.RegularExpressions;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Hatchet.Schedules;

namespace SfpPlatform.UnitTests.Core.Workflows.Hatchet;

/// <summary>
/// A schedule as a Hatchet workflow of its own: its name within Hatchet's rules, the cron trigger only while active,
/// the cron input naming the schedule, the shared fire action; what to put when schedules are added, paused or deleted;
/// and the tick read from Hatchet's cron metadata.
/// </summary>
public sealed class HatchetSchedulesTests
{
    private static readonly Guid Id = Guid.Parse("0193a5f0-1c2d-7e3f-8a4b-5c6d7e8f9a0b");

    [Fact]
    public void Registration_OfAnActiveSchedule_CarriesItsCron_AndInputNamingIt()
    {
        var request = HatchetSchedules.Registration(new HatchetScheduleState(Id, "nightly", "0 3 * * *", Paused: false));

        Assert.Equal("sfp-schedule-0193a5f01c2d7e3f8a4b5c6d7e8f9a0b", request.Name);
        Assert.Matches(HatchetOptions.WorkerNamePattern, request.Name);
        Assert.Equal(["0 3 * * *"], request.CronTriggers);
        using var input = JsonDocument.Parse(request.CronInput);
        Assert.Equal(new HatchetScheduleInput(Id, "nightly"), HatchetSchedules.ReadInput(input.RootElement));
        var task = Assert.Single(request.Tasks);
        Assert.Equal((HatchetSchedules.FireTask, HatchetSchedules.FireAction), (task.ReadableId, task.Action));
        // Hatchet's action ids are service:verb, its durations a number and a unit.
        Assert.Matches(new Regex("^[^:]+:[^:]+$"), task.Action);
        Assert.Matches(new Regex(@"^\d+(ms|s|m|h)$"), task.Timeout);
    }

    [Fact]
    public void Registration_OfAPausedOrDeletedSchedule_HasNoTrigger()
    {
        Assert.Empty(HatchetSchedules.Registration(new HatchetScheduleState(Id, "nightly", "0 3 * * *", Paused: true)).CronTriggers);
        Assert.Empty(HatchetSchedules.Registration(new HatchetScheduleState(Id, "nightly", null, Paused: false)).CronTriggers);
    }

    [Fact]
    public void Changes_PutNewAndChangedSchedules_AndDeletedOnesWithoutTrigger_NothingElse()
    {
        var (kept, paused, changed, deleted, added, deletedWhilePaused) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var registered = new Dictionary<Guid, HatchetScheduleState>
        {
            [kept] = new(kept, "kept", "*/5 * * * *", false),
            [paused] = new(paused, "paused", "0 3 * * *", false),
            [changed] = new(changed, "retention", "17 3 * * *", false),
            [deleted] = new(deleted, "deleted", "0 4 * * *", false),
            [deletedWhilePaused] = new(deletedWhilePaused, "was-paused", "0 5 * * *", true),
        };
        HatchetScheduleState[] current =
        [
            new(kept, "kept", "*/5 * * * *", false),
            new(paused, "paused", "0 3 * * *", true),
            new(changed, "retention", "30 3 * * *", false),
            new(added, "added", "0 6 * * *", false),
        ];

        var changes = HatchetSchedules.Changes(registered, current).ToDictionary(s => s.Id);

        Assert.Equal(new HashSet<Guid> { paused, changed, added, deleted }, changes.Keys.ToHashSet());
        Assert.Null(changes[paused].ActiveCron);
        Assert.Equal("30 3 * * *", changes[changed].ActiveCron);
        Assert.Equal("0 6 * * *", changes[added].ActiveCron);
        Assert.Null(changes[deleted].ActiveCron);
        Assert.Empty(HatchetSchedules.Changes(current.ToDictionary(s => s.Id), current));
    }

    [Fact]
    public void Changes_OnAFreshProcess_PutEverySchedule_PausedOnesWithoutTrigger()
    {
        HatchetScheduleState[] current = [new(Guid.NewGuid(), "a", "* * * * *", false), new(Guid.NewGuid(), "b", "0 0 * * *", true)];
        var changes = HatchetSchedules.Changes(new Dictionary<Guid, HatchetScheduleState>(), current);
        Assert.Equal(current, changes);
        Assert.Equal(["* * * * *"], HatchetSchedules.Registration(changes[0]).CronTriggers);
        Assert.Empty(HatchetSchedules.Registration(changes[1]).CronTriggers);
    }

    [Theory]
    [InlineData("2026-12-01T20:05:00Z", "2026-12-01T20:05:00+00:00")]
    [InlineData("2026-12-01T21:05:00+01:00", "2026-12-01T20:05:00+00:00")]
    public void ReadTick_IsHatchetsScheduledAt_InUtc(string metadata, string tick) =>
        Assert.Equal(DateTimeOffset.Parse(tick, System.Globalization.CultureInfo.InvariantCulture),
            HatchetSchedules.ReadTick(new Dictionary<string, string> { [HatchetSchedules.CronScheduledAtKey] = metadata }));

    [Fact]
    public void ReadTickAndInput_AreNull_ForARunThatIsNoCronFire()
    {
        Assert.Null(HatchetSchedules.ReadTick(new Dictionary<string, string> { ["sfp_run_id"] = Guid.NewGuid().ToString() }));
        Assert.Null(HatchetSchedules.ReadTick(new Dictionary<string, string> { [HatchetSchedules.CronScheduledAtKey] = "soon" }));
        Assert.Null(HatchetSchedules.ReadInput(JsonSerializer.SerializeToElement(new { })));
        Assert.Null(HatchetSchedules.ReadInput(JsonSerializer.SerializeToElement("sfp-schedule")));
    }
}
