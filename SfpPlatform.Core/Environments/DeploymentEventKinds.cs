namespace SfpPlatform.Core.Environments;

/// <summary>The kinds of <see cref="DeploymentEvent"/>.</summary>
public static class DeploymentEventKinds
{
    public const string Requested = "requested";
    public const string Approved = "approved";
    public const string Rejected = "rejected";

    /// <summary>An approval or rejection that was not allowed (a self-approval, someone not among the approvers).</summary>
    public const string Refused = "refused";

    public const string Unlocked = "unlocked";
    public const string LockExpired = "lock-expired";
    public const string Deployed = "deployed";
    public const string Failed = "failed";
}
