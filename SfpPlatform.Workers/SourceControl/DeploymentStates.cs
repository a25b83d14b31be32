namespace SfpPlatform.Workers.SourceControl;

/// <summary>The states of a deployment as GitHub's deployment statuses name them (the only ones it accepts).</summary>
public static class DeploymentStates
{
    public const string Queued = "queued";
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Error = "error";
}
