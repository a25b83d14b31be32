namespace SfpPlatform.Contracts.Stats;

/// <summary>The run queue now: due queued runs, running runs, and how long the oldest due run has waited.</summary>
public sealed record QueueState(long Queued, long Running, double OldestQueuedSeconds);
