namespace SfpPlatform.Core.Environments;

/// <summary>The states of a deployment.</summary>
public static class DeploymentStatuses
{
    /// <summary>In the environment's lock queue.</summary>
    public const string Queued = "queued";

    /// <summary>Holds the lock; waits for its approvals.</summary>
    public const string AwaitingApproval = "awaiting-approval";

    /// <summary>Approved (or needing none); waits out the environment's wait timer, then runs.</summary>
    public const string Approved = "approved";

    public const string Deploying = "deploying";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Rejected = "rejected";

    /// <summary>Unlocked by an owner, or its lock timed out, before it deployed.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> Active = [Queued, AwaitingApproval, Approved, Deploying];

    public static bool IsFinished(string status) => status is Succeeded or Failed or Rejected or Cancelled;
}
