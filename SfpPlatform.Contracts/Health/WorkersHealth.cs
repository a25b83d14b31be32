using SfpPlatform.Contracts.Stats;

namespace SfpPlatform.Contracts.Health;

/// <summary>
/// <c>GET /sfp/api/health/workers</c>: the workers' health as their heartbeats and the run queue show it now.
/// <see cref="Status"/> is <c>Healthy</c>, <c>Degraded</c> (a worker reports a problem, or the oldest queued run has
/// waited too long) or <c>Unhealthy</c> (no live worker heartbeat); <see cref="Summary"/> says why in words
/// (e.g. "No worker heartbeat for 2 min", "Queue: 12 runs, oldest 4 min").
/// </summary>
public sealed record WorkersHealth(
    DateTimeOffset At, string Status, string Summary, IReadOnlyList<WorkerStatus> Workers, QueueState Queue);
