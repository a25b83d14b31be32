namespace SfpPlatform.Core.Environments;

/// <summary>
/// A Salesforce org a project delivers to (<c>uat</c>, <c>prod</c>): the Salesforce integration that signs in to it,
/// the branch whose builds deploy to it, its place in the promotion order, and its protection rules.
/// </summary>
public sealed class DeploymentEnvironment
{
    public Guid Id { get; set; }

    public required string ProjectKey { get; set; }

    /// <summary>Also the alias the org is logged in under in a deployment's workspace.</summary>
    public required string Name { get; set; }

    /// <summary>The name of the Salesforce integration (the project's, or a global one) that signs in to the org.</summary>
    public required string SalesforceIntegration { get; set; }

    /// <summary>A successful build of this branch deploys to the environment.</summary>
    public string? Branch { get; set; }

    /// <summary>The promotion order: a promotion takes the latest release of the environment with the next lower order.</summary>
    public int PromotionOrder { get; set; }

    public int RequiredApprovals { get; set; }

    /// <summary>Who may approve: user names (a GitHub login or the Api's <c>sub</c>) and <c>role:&lt;role&gt;</c>; empty: anyone allowed to command.</summary>
    public string[] Approvers { get; set; } = [];

    /// <summary>How long after its approvals a deployment waits before it runs.</summary>
    public int WaitTimerMinutes { get; set; }

    /// <summary>Branches whose releases may deploy here (empty: any).</summary>
    public string[] AllowedBranches { get; set; } = [];

    /// <summary>How long a deployment may hold the environment's lock before it is released for the next one.</summary>
    public int LockTimeoutMinutes { get; set; } = 60;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
