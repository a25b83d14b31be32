namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>The states of one step attempt (<c>workflow_step_runs.status</c>).</summary>
public static class WorkflowStepStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string TimedOut = "timed-out";
    public const string Cancelled = "cancelled";

    /// <summary>Given back when its worker shut down: not counted against the step's attempts.</summary>
    public const string Released = "released";

    /// <summary>It parked the run to wait (an approval, a lock, a timer): not counted against the step's attempts.</summary>
    public const string Waiting = "waiting";

    /// <summary>Its worker vanished (or lost its hold on the run) while it ran: counted as an attempt.</summary>
    public const string Abandoned = "abandoned";
}
