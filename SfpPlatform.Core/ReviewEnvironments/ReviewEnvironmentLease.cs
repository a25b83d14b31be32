
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

    /// <summary>When the pull request was told its lease expired (the lease-expiry sweep); null while it has not been.</summary>
    public DateTimeOffset? ExpiryReportedAt { get; set; }
}
