using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Environments;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.ToTable("releases");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(200);
        builder.Property(r => r.Artifacts).HasColumnName("artifacts").HasColumnType("jsonb");
        builder.Property(r => r.Definition).HasColumnName("definition");
        builder.Property(r => r.Source).HasColumnName("source").HasMaxLength(16);
        builder.Property(r => r.BuildRunId).HasColumnName("build_run_id");
        builder.Property(r => r.Branch).HasColumnName("branch").HasMaxLength(300);
        builder.Property(r => r.Sha).HasColumnName("sha").HasMaxLength(64);
        builder.Property(r => r.Origin).HasColumnName("origin").HasColumnType("jsonb");
        builder.Property(r => r.CreatedBy).HasColumnName("created_by").HasMaxLength(200);
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.HasIndex(r => new { r.ProjectKey, r.Name }).IsUnique().HasDatabaseName("ux_releases_project_name");
        builder.HasIndex(r => r.BuildRunId).IsUnique().HasFilter("build_run_id IS NOT NULL").HasDatabaseName("ux_releases_build_run");
    }
}
