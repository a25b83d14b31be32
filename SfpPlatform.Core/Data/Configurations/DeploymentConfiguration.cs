using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Environments;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Environments.Deployment>
{
    public void Configure(EntityTypeBuilder<Environments.Deployment> builder)
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
