using System.Net;
using System.Net.Http.Json;
using SfpPlatform.Contracts.Health;
using SfpPlatform.Core.Health;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Health;

/// <summary>
/// The workers' health in the running stack: the Workers process writes its heartbeat row, the Api reports it alive
/// with the queue's depth and oldest age — here of runs this test queued minutes in the past — and says the queue is
/// too old. (Stall detection itself is tested on a fake clock in the fast lane; every worker down is in ServiceOutageTests.)
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WorkersHealthTests(PlatformAppFixture platform)
{
    [Fact]
    public async Task WorkersHeartbeat_AndTheApiReportsThemAlive_WithTheQueueItWasGiven()
    {
        var connection = (await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation))!;
        var beats = await Sql.ScalarAsync<long>(connection, """
            SELECT count(*) FROM worker_heartbeats
            WHERE engine = 'embedded' AND process_id > 0 AND slots_total > 0 AND last_heartbeat > now() - interval '30 seconds' AND problem IS NULL
            """, [], Cancellation);
        Assert.True(beats >= 1, "no fresh heartbeat row of the stack's Workers");

        // Runs of a workflow no worker runs stay queued: three of them, queued five minutes ago.
        var runs = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        foreach (var run in runs)
        {
            await Sql.ScalarAsync<object?>(connection, """
                INSERT INTO workflow_runs (id, workflow, status, input, created_at, updated_at, next_attempt_at, attempt, cancel_requested)
                VALUES ($1, 'not-a-known-workflow', 'queued', '{}'::jsonb, now() - interval '5 minutes', now(), now() - interval '5 minutes', 0, false)
                """, [run], Cancellation);
        }

        WorkersHealth health;
        try
        {
            using var member = await platform.ClientAsync(Caller.Member);
            using var response = await member.GetAsync("/sfp/api/health/workers", Cancellation);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            health = (await response.Content.ReadFromJsonAsync<WorkersHealth>(Cancellation))!;
        }
        finally
        {
            foreach (var run in runs)
            {
                await Sql.ScalarAsync<object?>(connection, "DELETE FROM workflow_runs WHERE id = $1", [run], Cancellation);
            }
        }

        var alive = health.Workers.Where(w => w.Alive && w.Engine == "embedded").ToList();
        Assert.NotEmpty(alive);
        Assert.All(alive, w => Assert.InRange(w.SilentSeconds, 0, WorkersHealthAssessment.SilentAfter.TotalSeconds));
        Assert.All(alive, w => Assert.True(w.SlotsTotal > 0 && w.SlotsBusy <= w.SlotsTotal, $"{w.Name}: {w.SlotsBusy} of {w.SlotsTotal}"));
        Assert.True(health.Queue.Queued >= runs.Length, $"queued {health.Queue.Queued}");
        Assert.True(health.Queue.OldestQueuedSeconds >= 300, $"oldest {health.Queue.OldestQueuedSeconds} s");
        Assert.Equal(WorkersHealthAssessment.Degraded, health.Status);
        Assert.Contains($"Queue: {health.Queue.Queued} runs, oldest {WorkersHealthAssessment.Duration(health.Queue.OldestQueuedSeconds)}", health.Summary);

        ReliabilityReport.Record(ReliabilityReport.Faults, ReliabilityReport.WorkerHealth,
            ("heartbeat rows of live workers", alive.Count), ("old queued runs reported", runs.Length));
    }
}
