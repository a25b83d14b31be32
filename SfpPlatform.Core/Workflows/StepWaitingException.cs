namespace SfpPlatform.Core.Workflows;

/// <summary>
/// Thrown by a step that must wait for something outside the run (an approval, a lock, a timer): the engine parks the
/// run in the database — no worker holds it, nothing waits in memory — until it is resumed
/// (<see cref="Runs.WorkflowRunStore.ResumeAsync"/>) or <see cref="ResumeAt"/> comes; then the step runs again from its
/// start, so it must pick up where the durable state says it stands. The parked attempt does not count as an attempt.
/// </summary>
public sealed class StepWaitingException(string reason, DateTimeOffset? resumeAt = null) : Exception(reason)
{
    public DateTimeOffset? ResumeAt { get; } = resumeAt;
}
