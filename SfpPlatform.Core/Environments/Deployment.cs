using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("deployments");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).HasColumnName("id");
        builder.Property(d => d.Sequence).HasColumnName("sequence").UseIdentityAlwaysColumn();
        builder.Property(d => d.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(d => d.EnvironmentId).HasColumnName("environment_id");
        builder.Property(d => d.EnvironmentName).HasColumnName("environment_name").HasMaxLength(64);
        builder.Property(d => d.ReleaseId).HasColumnName("release_id");
        builder.Property(d => d.ReleaseName).HasColumnName("release_name").HasMaxLength(200);
        builder.Property(d => d.Status).HasColumnName("status").HasMaxLength(32);
        builder.Property(d => d.RequestedBy).HasColumnName("requested_by").HasMaxLength(200);
        builder.Property(d => d.RequestedVia).HasColumnName("requested_via").HasMaxLength(16);
        builder.Property(d => d.RequiredApprovals).HasColumnName("required_approvals");
        builder.Property(d => d.RunId).HasColumnName("run_id");
        builder.Property(d => d.Origin).HasColumnName("origin").HasColumnType("jsonb");
        builder.Property(d => d.Provider).HasColumnName("provider").HasMaxLength(32);
        builder.Property(d => d.Repository).HasColumnName("repository").HasMaxLength(300);
        builder.Property(d => d.PullRequest).HasColumnName("pull_request");
        builder.Property(d => d.Sha).HasColumnName("sha").HasMaxLength(64);
        builder.Property(d => d.ProviderDeploymentId).HasColumnName("provider_deployment_id");
        builder.Property(d => d.CreatedAt).HasColumnName("created_at");
        builder.Property(d => d.LockAcquiredAt).HasColumnName("lock_acquired_at");
        builder.Property(d => d.LockExpiresAt).HasColumnName("lock_expires_at");
        builder.Property(d => d.LockReleasedAt).HasColumnName("lock_released_at");
        builder.Property(d => d.ApprovedAt).HasColumnName("approved_at");
        builder.Property(d => d.NotBefore).HasColumnName("not_before");
        builder.Property(d => d.StartedAt).HasColumnName("started_at");
        builder.Property(d => d.FinishedAt).HasColumnName("finished_at");
        builder.Property(d => d.Error).HasColumnName("error").HasMaxLength(2000);
        builder.Property(d => d.Log).HasColumnName("log");
        builder.HasIndex(d => new { d.EnvironmentId, d.Sequence }).HasDatabaseName("ix_deployments_environment_sequence");
        // One lock holder per environment.
        builder.HasIndex(d => d.EnvironmentId).IsUnique()
            .HasFilter("lock_acquired_at IS NOT NULL AND lock_released_at IS NULL")
            .HasDatabaseName("ux_deployments_lock_holder");
        builder.HasOne<DeploymentEnvironment>().WithMany().HasForeignKey(d => d.EnvironmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Release>().WithMany().HasForeignKey(d => d.ReleaseId).OnDelete(DeleteBehavior.Restrict);
    }
}
