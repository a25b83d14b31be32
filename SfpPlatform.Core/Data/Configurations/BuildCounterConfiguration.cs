using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Builds;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class BuildCounterConfiguration : IEntityTypeConfiguration<BuildCounter>
{
    public void Configure(EntityTypeBuilder<BuildCounter> builder)
    {
        builder.ToTable("build_counters");
        builder.HasKey(c => c.Scope);
        builder.Property(c => c.Scope).HasMaxLength(100);
    }
}
