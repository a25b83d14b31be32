using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary>
/// The current (or last) lease of one org of a review-environment pool. An org is free when it has no row, its
/// lease was released, or the lease expired; a pull request holds at most one unreleased lease per pool.
/// </summary>
public sealed class ReviewEnvironmentLease
{
    public required string Pool { get; set; }

    public required string Org { get; set; }

    public required string Provider { get; set; }

    public required string Repository { get; set; }

    public long PullRequest { get; set; }

    public string? ProjectKey { get; set; }

    public Guid? RunId { get; set; }

    public DateTimeOffset LeasedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }
}

internal sealed class ReviewEnvironmentLeaseConfiguration : IEntityTypeConfiguration<ReviewEnvironmentLease>
{
    public void Configure(EntityTypeBuilder<ReviewEnvironmentLease> builder)
    {
        builder.ToTable("review_environment_leases");
        builder.HasKey(l => new { l.Pool, l.Org });
        builder.Property(l => l.Pool).HasColumnName("pool").HasMaxLength(100);
        builder.Property(l => l.Org).HasColumnName("org").HasMaxLength(200);
        builder.Property(l => l.Provider).HasColumnName("provider").HasMaxLength(32);
        builder.Property(l => l.Repository).HasColumnName("repository").HasMaxLength(300);
        builder.Property(l => l.PullRequest).HasColumnName("pull_request");
        builder.Property(l => l.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(l => l.RunId).HasColumnName("run_id");
        builder.Property(l => l.LeasedAt).HasColumnName("leased_at");
        builder.Property(l => l.ExpiresAt).HasColumnName("expires_at");
        builder.Property(l => l.ReleasedAt).HasColumnName("released_at");
        builder.HasIndex(l => new { l.Pool, l.Provider, l.Repository, l.PullRequest })
            .IsUnique()
            .HasFilter("released_at IS NULL")
            .HasDatabaseName("ux_review_environment_leases_active_pull_request");
    }
}
