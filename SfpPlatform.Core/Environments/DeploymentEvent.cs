namespace SfpPlatform.Core.Environments;

/// <summary>
/// What happened to a deployment or an environment, by whom and when: requests, approvals, rejections, refused
/// decisions, unlocks, expired locks, outcomes. Kept queryable on its own (a general audit trail may read it later).
/// </summary>
public sealed class DeploymentEvent
{
    public long Id { get; set; }

    public Guid? DeploymentId { get; set; }

    public required string ProjectKey { get; set; }

    public required string EnvironmentName { get; set; }

    /// <summary>One of <see cref="DeploymentEventKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Actor { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset At { get; set; }
}
