using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Environments;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class DeploymentEnvironmentConfiguration : IEntityTypeConfiguration<DeploymentEnvironment>
{
    public void Configure(EntityTypeBuilder<DeploymentEnvironment> builder)
    {
        builder.ToTable("environments");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(e => e.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(e => e.SalesforceIntegration).HasColumnName("salesforce_integration").HasMaxLength(200);
        builder.Property(e => e.Branch).HasColumnName("branch").HasMaxLength(300);
        builder.Property(e => e.PromotionOrder).HasColumnName("promotion_order");
        builder.Property(e => e.RequiredApprovals).HasColumnName("required_approvals");
        builder.Property(e => e.Approvers).HasColumnName("approvers");
        builder.Property(e => e.WaitTimerMinutes).HasColumnName("wait_timer_minutes");
        builder.Property(e => e.AllowedBranches).HasColumnName("allowed_branches");
        builder.Property(e => e.LockTimeoutMinutes).HasColumnName("lock_timeout_minutes");
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(e => new { e.ProjectKey, e.Name }).IsUnique().HasDatabaseName("ux_environments_project_name");
        builder.HasIndex(e => new { e.ProjectKey, e.Branch }).IsUnique().HasFilter("branch IS NOT NULL").HasDatabaseName("ux_environments_project_branch");
    }
}
