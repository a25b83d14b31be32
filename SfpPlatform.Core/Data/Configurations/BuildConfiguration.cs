using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Builds;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class BuildConfiguration : IEntityTypeConfiguration<Build>
{
    public void Configure(EntityTypeBuilder<Build> builder)
    {
        builder.ToTable("builds");
        builder.HasKey(b => b.RunId);
        builder.Property(b => b.Scope).HasMaxLength(100);
        builder.Property(b => b.Provider).HasMaxLength(32);
        builder.Property(b => b.Repository).HasMaxLength(300);
        builder.Property(b => b.Branch).HasMaxLength(300);
        builder.Property(b => b.Sha).HasMaxLength(64);
        builder.Property(b => b.Artifacts).HasColumnType("jsonb");
        builder.HasIndex(b => new { b.Scope, b.Number }).IsUnique().HasDatabaseName("ux_builds_scope_number");
    }
}
