using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

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

internal sealed class DeploymentEventConfiguration : IEntityTypeConfiguration<DeploymentEvent>
{
    public void Configure(EntityTypeBuilder<DeploymentEvent> builder)
    {
        builder.ToTable("deployment_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(e => e.DeploymentId).HasColumnName("deployment_id");
        builder.Property(e => e.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(e => e.EnvironmentName).HasColumnName("environment_name").HasMaxLength(64);
        builder.Property(e => e.Kind).HasColumnName("kind").HasMaxLength(32);
        builder.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(200);
        builder.Property(e => e.Detail).HasColumnName("detail").HasMaxLength(2000);
        builder.Property(e => e.At).HasColumnName("at");
        builder.HasIndex(e => new { e.ProjectKey, e.At }).HasDatabaseName("ix_deployment_events_project_at");
        builder.HasIndex(e => e.DeploymentId).HasDatabaseName("ix_deployment_events_deployment");
        builder.HasOne<Deployment>().WithMany().HasForeignKey(e => e.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
