using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.UnitTests.Workers.Health;

/// <summary>
/// The Workers' readiness check against loops that beat (or stop beating) on a fake clock: a loop silent past its
/// stall limit — stuck, dead, or failing against an unreachable engine — turns it unhealthy, and a beat heals it.
/// </summary>
public sealed class EngineLoopsHealthCheckTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private EngineProgress Progress(int slots = 2) => new(_time, "embedded", "test-worker", slots);

    private static async Task<HealthCheckResult> CheckAsync(EngineProgress progress) =>
        await new EngineLoopsHealthCheck(progress).CheckHealthAsync(new HealthCheckContext(), Cancellation);

    [Fact]
    public void StallLimit_IsTenPolls_NeverBelowItsFloor()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), EngineProgress.StallLimit(Poll, Lease));
        Assert.Equal(TimeSpan.FromSeconds(50), EngineProgress.StallLimit(TimeSpan.FromSeconds(5), Lease));
    }

    [Fact]
    public async Task LoopsThatKeepBeating_AreHealthy_HoweverLongTheProcessRuns()
    {
        var progress = Progress();
        progress.Register("w/0", EngineProgress.StallLimit(Poll, Lease));
        progress.Register("w/1", EngineProgress.StallLimit(Poll, Lease));
        for (var i = 0; i < 600; i++)
        {
            _time.Advance(Poll);
            progress.Beat("w/0");
            progress.Beat("w/1", busy: i % 2 == 0);
        }

        var result = await CheckAsync(progress);
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Empty(progress.Stalled());
    }

    [Fact]
    public async Task ALoopThatStopsBeating_TurnsUnhealthyAfterItsLimit_AndABeatHealsIt()
    {
        var progress = Progress();
        progress.Register("w/0", EngineProgress.StallLimit(Poll, Lease));
        progress.Register("w/1", EngineProgress.StallLimit(Poll, Lease));

        // w/1 is stuck (say, in a claim that never returns); w/0 keeps polling.
        for (var i = 0; i < 30; i++)
        {
            _time.Advance(Poll);
            progress.Beat("w/0");
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(progress)).Status);

        _time.Advance(Poll);
        progress.Beat("w/0");
        var stalled = await CheckAsync(progress);
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Equal("w/1 made no progress for 31 s (limit 30 s)", stalled.Description);

        progress.Beat("w/1");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(progress)).Status);
    }

    [Fact]
    public async Task EveryLoopFailing_AsWithTheEngineUnreachable_NamesEachStalledLoop()
    {
        var progress = Progress();
        progress.Register("hatchet/heartbeat", EngineProgress.StallLimit(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30)));
        progress.Register("hatchet/relay", EngineProgress.StallLimit(Poll, TimeSpan.FromSeconds(30)));

        _time.Advance(TimeSpan.FromSeconds(41));

        var result = await CheckAsync(progress);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("hatchet/heartbeat made no progress for 41 s (limit 40 s); hatchet/relay made no progress for 41 s (limit 30 s)", result.Description);
    }

    [Fact]
    public async Task ALoopForgottenOnPurpose_IsNoLongerWatched_ButAnUnknownBeatRegistersNothing()
    {
        var progress = Progress();
        progress.Register("hatchet/heartbeat", TimeSpan.FromSeconds(40));
        progress.Forget("hatchet/heartbeat");
        progress.Beat("never-registered");
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, progress.Loops);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(progress)).Status);
    }

    [Fact]
    public void BusySlots_AreTheLoopsHoldingARun_UnlessTheEngineCountsThem()
    {
        var progress = Progress(slots: 3);
        progress.Register("w/0", Lease);
        progress.Register("w/1", Lease);
        progress.Register("w/2", Lease);
        progress.Beat("w/0", busy: true);
        progress.Beat("w/1", busy: true);
        progress.Beat("w/1", busy: false);
        progress.Beat("w/2", busy: true);

        Assert.Equal(2, progress.SlotsBusy);
        Assert.Equal(3, progress.SlotsTotal);

        progress.CountBusySlots(() => 1);
        Assert.Equal(1, progress.SlotsBusy);
    }
}
