using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Environments;

namespace SfpPlatform.Core.Data.Configurations;

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
        builder.HasOne<Environments.Deployment>().WithMany().HasForeignKey(e => e.DeploymentId).OnDelete(DeleteBehavior.Cascade);
    }
}
