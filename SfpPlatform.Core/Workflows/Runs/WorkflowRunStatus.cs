namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>The states of a run (<c>workflow_runs.status</c>). The store builds its SQL from these, never from literals.</summary>
public static class WorkflowRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Succeeded, Failed, Cancelled];

    /// <summary>A run in one of these states has ended and is never changed again.</summary>
    public static bool HasEnded(string status) => status is Succeeded or Failed or Cancelled;
}
