using SfpPlatform.Contracts.Stats;
using SfpPlatform.Core.Health;

namespace SfpPlatform.UnitTests.Core.Health;

/// <summary>What the Overview's Workers line says, from the heartbeat rows and the queue.</summary>
public sealed class WorkersHealthAssessmentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly QueueState EmptyQueue = new(0, 0, 0);

    private static WorkerHeartbeat Worker(string name, TimeSpan silentFor, int busy = 0, int total = 4, string? problem = null) => new()
    {
        Id = Guid.NewGuid(), Name = name, Host = "host", ProcessId = 42, Engine = "embedded", Version = "1.0",
        StartedAt = Now.AddHours(-1), LastHeartbeat = Now - silentFor, SlotsBusy = busy, SlotsTotal = total, Problem = problem,
    };

    [Fact]
    public void LiveWorkers_AndAFreshQueue_AreHealthy_WithTheirSlots()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("a", TimeSpan.FromSeconds(3), busy: 1), Worker("b", TimeSpan.FromSeconds(6), busy: 2)], new QueueState(3, 3, 20), Now);

        Assert.Equal("Healthy", health.Status);
        Assert.Equal("2 workers alive, 3 of 8 slots busy, 3 queued", health.Summary);
        Assert.All(health.Workers, w => Assert.True(w.Alive));
        Assert.Equal([3, 6], health.Workers.Select(w => w.SilentSeconds));
    }

    [Fact]
    public void NoRowAtAll_IsUnhealthy()
    {
        var health = WorkersHealthAssessment.Assess([], EmptyQueue, Now);

        Assert.Equal("Unhealthy", health.Status);
        Assert.Equal("No worker heartbeat", health.Summary);
    }

    [Fact]
    public void OnlySilentWorkers_AreUnhealthy_SayingSinceWhen_AndEachShowsSilent()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("a", TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(10)), Worker("b", TimeSpan.FromMinutes(7))], EmptyQueue, Now);

        Assert.Equal("Unhealthy", health.Status);
        Assert.Equal("No worker heartbeat for 2 min", health.Summary);
        Assert.All(health.Workers, w => Assert.False(w.Alive));
    }

    [Fact]
    public void AWorkerJustPastTheTolerance_IsSilent_OneWithin_IsAlive()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("late", WorkersHealthAssessment.SilentAfter + TimeSpan.FromSeconds(1)), Worker("on-time", WorkersHealthAssessment.SilentAfter)], EmptyQueue, Now);

        Assert.Equal("Healthy", health.Status);
        Assert.False(health.Workers.Single(w => w.Name == "late").Alive);
        Assert.True(health.Workers.Single(w => w.Name == "on-time").Alive);
    }

    [Fact]
    public void WorkersGoneLongerThanTheForgetAge_AreNotShown()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("gone", WorkersHealthAssessment.ForgetAfter + TimeSpan.FromMinutes(1)), Worker("here", TimeSpan.FromSeconds(2))], EmptyQueue, Now);

        Assert.Equal(["here"], health.Workers.Select(w => w.Name));
    }

    [Fact]
    public void AnOldQueue_IsDegraded_WithItsDepthAndAge()
    {
        var health = WorkersHealthAssessment.Assess([Worker("a", TimeSpan.FromSeconds(1), busy: 4)], new QueueState(12, 4, 4 * 60 + 30), Now);

        Assert.Equal("Degraded", health.Status);
        Assert.Equal("Queue: 12 runs, oldest 4 min", health.Summary);
    }

    [Fact]
    public void AQueueYoungerThanTheLimit_IsNotAProblem()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("a", TimeSpan.FromSeconds(1))], new QueueState(12, 4, WorkersHealthAssessment.QueueWaitLimit.TotalSeconds - 1), Now);

        Assert.Equal("Healthy", health.Status);
    }

    [Fact]
    public void ALiveWorkerReportingAStall_IsDegraded_NamingIt()
    {
        var health = WorkersHealthAssessment.Assess(
            [Worker("a", TimeSpan.FromSeconds(1), problem: "a/2 made no progress for 45 s (limit 30 s)"), Worker("b", TimeSpan.FromSeconds(1))], EmptyQueue, Now);

        Assert.Equal("Degraded", health.Status);
        Assert.Equal("a: a/2 made no progress for 45 s (limit 30 s)", health.Summary);
    }

    [Fact]
    public void NoLiveWorker_AndAnOldQueue_SaysBoth_AndStaysUnhealthy()
    {
        var health = WorkersHealthAssessment.Assess([Worker("a", TimeSpan.FromMinutes(3))], new QueueState(1, 0, 3 * 60), Now);

        Assert.Equal("Unhealthy", health.Status);
        Assert.Equal("No worker heartbeat for 3 min; Queue: 1 run, oldest 3 min", health.Summary);
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(59.9, "59 s")]
    [InlineData(60, "1 min")]
    [InlineData(3599, "59 min")]
    [InlineData(3600 + 5 * 60, "1 h 5 min")]
    public void Durations_AreInTheUnitAPersonReads(double seconds, string expected) =>
        Assert.Equal(expected, WorkersHealthAssessment.Duration(seconds));
}
