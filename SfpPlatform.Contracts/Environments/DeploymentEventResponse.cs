namespace SfpPlatform.Contracts.Environments;

/// <summary>What happened, by whom and when: requested, approved, rejected, refused, unlocked, lock-expired, deployed, failed.</summary>
public sealed record DeploymentEventResponse(long Id, Guid? DeploymentId, string Environment, string Kind, string Actor, string? Detail, DateTimeOffset At);
