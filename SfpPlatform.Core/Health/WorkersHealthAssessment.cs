using System.Globalization;
using SfpPlatform.Contracts.Health;
using SfpPlatform.Contracts.Stats;

namespace SfpPlatform.Core.Health;

/// <summary>
/// Turns the workers' heartbeat rows and the run queue into one status with its reason in words: no live heartbeat is
/// unhealthy (nothing will take a run); a worker reporting a problem, or a queue whose oldest due run waited longer than
/// <see cref="QueueWaitLimit"/>, is degraded; otherwise healthy.
/// </summary>
public static class WorkersHealthAssessment
{
    /// <summary>How often a Workers process writes its heartbeat.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>A worker silent for longer (several missed beats) is no longer counted alive.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(30);

    /// <summary>A worker silent for longer is gone: its row is purged.</summary>
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromHours(1);

    /// <summary>A due run waiting longer than this means the workers do not keep up (or do not claim).</summary>
    public static readonly TimeSpan QueueWaitLimit = TimeSpan.FromMinutes(2);

    public const string Healthy = "Healthy";
    public const string Degraded = "Degraded";
    public const string Unhealthy = "Unhealthy";

    public static WorkersHealth Assess(IReadOnlyList<WorkerHeartbeat> heartbeats, QueueState queue, DateTimeOffset now)
    {
        var workers = heartbeats
            .Select(w => (Row: w, Silent: now - w.LastHeartbeat))
            .Where(w => w.Silent <= ForgetAfter)
            .Select(w => new WorkerStatus(w.Row.Id, w.Row.Name, w.Row.Host, w.Row.ProcessId, w.Row.Engine, w.Row.Version,
                w.Row.StartedAt, w.Row.LastHeartbeat, Math.Max(0, w.Silent.TotalSeconds), w.Silent <= SilentAfter,
                w.Row.SlotsBusy, w.Row.SlotsTotal, w.Row.Problem))
            .ToList();
        var alive = workers.Where(w => w.Alive).ToList();

        var problems = new List<string>();
        var status = Healthy;
        if (alive.Count == 0)
        {
            status = Unhealthy;
            problems.Add(workers.Count == 0
                ? "No worker heartbeat"
                : $"No worker heartbeat for {Duration(workers.Min(w => w.SilentSeconds))}");
        }

        foreach (var worker in alive.Where(w => w.Problem is not null))
        {
            status = status == Healthy ? Degraded : status;
            problems.Add($"{worker.Name}: {worker.Problem}");
        }

        if (queue.Queued > 0 && queue.OldestQueuedSeconds >= QueueWaitLimit.TotalSeconds)
        {
            status = status == Healthy ? Degraded : status;
            problems.Add($"Queue: {queue.Queued} {(queue.Queued == 1 ? "run" : "runs")}, oldest {Duration(queue.OldestQueuedSeconds)}");
        }

        var summary = problems.Count > 0
            ? string.Join("; ", problems)
            : $"{alive.Count} {(alive.Count == 1 ? "worker" : "workers")} alive, {alive.Sum(w => w.SlotsBusy)} of {alive.Sum(w => w.SlotsTotal)} slots busy, "
              + $"{queue.Queued} queued";
        return new WorkersHealth(now, status, summary, workers, queue);
    }

    /// <summary>A wait in the unit a person reads it in: seconds, whole minutes, or hours and minutes.</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 60 => $"{(int)seconds} s",
        < 3600 => $"{(int)(seconds / 60)} min",
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 3600)} h {(int)(seconds % 3600 / 60)} min"),
    };
}
