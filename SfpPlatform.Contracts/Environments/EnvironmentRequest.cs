namespace SfpPlatform.Contracts.Environments;

/// <summary>Creates or replaces an environment (<c>PUT /sfp/api/projects/{project}/environments/{name}</c>).</summary>
/// <param name="SalesforceIntegration">The name of the Salesforce integration (the project's or a global one) that signs in to the org.</param>
/// <param name="Branch">A successful build of this branch deploys here.</param>
/// <param name="PromotionOrder">Promotions take the release of the environment with the next lower order.</param>
/// <param name="Approvers">User names and <c>role:&lt;role&gt;</c> entries who may approve; empty: owners (Api) and writers (comments).</param>
public sealed record EnvironmentRequest(
    string? SalesforceIntegration, string? Branch = null, int? PromotionOrder = null, int? RequiredApprovals = null,
    IReadOnlyList<string>? Approvers = null, int? WaitTimerMinutes = null, IReadOnlyList<string>? AllowedBranches = null, int? LockTimeoutMinutes = null);
