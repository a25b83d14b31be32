namespace SfpPlatform.Contracts.Runs;

/// <summary>The states of a workflow run (<see cref="RunSummary.Status"/>, and the list's status filter).</summary>
public static class RunStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";

    /// <summary>Parked: a step waits for something outside the run (an approval, a lock); no worker holds it until it is resumed.</summary>
    public const string Waiting = "waiting";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Waiting, Succeeded, Failed, Cancelled];

    /// <summary>Whether a run in <paramref name="status"/> has ended (it changes no more).</summary>
    public static bool IsFinished(string? status) => status is Succeeded or Failed or Cancelled;
}
