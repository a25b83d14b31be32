using System.Text.Json;

namespace SfpPlatform.Core.Environments;

/// <summary>
/// One deployment of a release to an environment, from request to outcome. Its place in the environment's lock queue
/// is its <see cref="Sequence"/>; it holds the lock while <see cref="LockAcquiredAt"/> is set and
/// <see cref="LockReleasedAt"/> is not (a unique index allows one holder per environment).
/// </summary>
public sealed class Deployment
{
    public Guid Id { get; set; }

    /// <summary>The order of requests (the lock queue's order).</summary>
    public long Sequence { get; set; }

    public required string ProjectKey { get; set; }

    public Guid EnvironmentId { get; set; }

    public required string EnvironmentName { get; set; }

    public Guid ReleaseId { get; set; }

    public required string ReleaseName { get; set; }

    /// <summary>One of <see cref="DeploymentStatuses"/>.</summary>
    public required string Status { get; set; }

    public required string RequestedBy { get; set; }

    /// <summary><c>build</c>, <c>api</c> or <c>comment</c>.</summary>
    public required string RequestedVia { get; set; }

    /// <summary>The approvals it needs (the environment's rule when it was requested).</summary>
    public int RequiredApprovals { get; set; }

    /// <summary>The run of the deploy workflow that carries it.</summary>
    public Guid? RunId { get; set; }

    /// <summary>The run input of the event that requested it (where it reports back), with the deployment's id.</summary>
    public required JsonDocument Origin { get; set; }

    public string? Provider { get; set; }

    public string? Repository { get; set; }

    public long? PullRequest { get; set; }

    /// <summary>The commit reported on (the release's build commit).</summary>
    public string? Sha { get; set; }

    /// <summary>The GitHub deployment created for it, once created.</summary>
    public long? ProviderDeploymentId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LockAcquiredAt { get; set; }

    public DateTimeOffset? LockExpiresAt { get; set; }

    public DateTimeOffset? LockReleasedAt { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    /// <summary>The wait timer: not deployed before this.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public string? Error { get; set; }

    /// <summary>The deploy command's output (its last lines), with secrets masked.</summary>
    public string? Log { get; set; }
}
