namespace SfpPlatform.Contracts.Environments;

/// <summary>An environment with what is in it now and its lock queue (the holder first).</summary>
public sealed record EnvironmentResponse(
    Guid Id, string ProjectKey, string Name, string SalesforceIntegration, string? Branch, int PromotionOrder, int RequiredApprovals,
    IReadOnlyList<string> Approvers, int WaitTimerMinutes, IReadOnlyList<string> AllowedBranches, int LockTimeoutMinutes,
    ReleaseResponse? Current, IReadOnlyList<DeploymentResponse> Queue);
