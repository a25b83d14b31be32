namespace SfpPlatform.Workers.Engine;

internal static partial class WorkflowLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} ({Workflow}) step {Step} attempt {Attempt} {Outcome}")]
    public static partial void Step(ILogger logger, Guid runId, string workflow, string step, int attempt, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} ({Workflow}) step {Step} attempt {Attempt} failed: {Error}")]
    public static partial void StepFailed(ILogger logger, Guid runId, string workflow, string step, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker loop {Owner} failed; retrying")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string owner);
}
