using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.ReviewEnvironments;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class ReviewEnvironmentLeaseConfiguration : IEntityTypeConfiguration<ReviewEnvironmentLease>
{
    public void Configure(EntityTypeBuilder<ReviewEnvironmentLease> builder)
    {
        builder.ToTable("review_environment_leases");
        builder.HasKey(l => new { l.Pool, l.Org });
        builder.Property(l => l.Pool).HasMaxLength(100);
        builder.Property(l => l.Org).HasMaxLength(200);
        builder.Property(l => l.Provider).HasMaxLength(32);
        builder.Property(l => l.Repository).HasMaxLength(300);
        builder.Property(l => l.ProjectKey).HasMaxLength(100);
        builder.HasIndex(l => new { l.Pool, l.Provider, l.Repository, l.PullRequest })
            .IsUnique()
            .HasFilter("released_at IS NULL")
            .HasDatabaseName("ux_review_environment_leases_active_pull_request");
    }
}
