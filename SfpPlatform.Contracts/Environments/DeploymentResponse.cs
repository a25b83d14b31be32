namespace SfpPlatform.Contracts.Environments;

/// <summary>A deployment: where it stands, who asked, who approved, its place in the lock queue while it waits, and its log.</summary>
/// <param name="Status"><c>queued</c>, <c>awaiting-approval</c>, <c>approved</c>, <c>deploying</c>, <c>succeeded</c>, <c>failed</c>, <c>rejected</c>, <c>cancelled</c>.</param>
/// <param name="Position">1 for the lock holder, then its place in the queue; null once it has ended.</param>
/// <param name="Log">The deploy command's last lines (one deployment's detail only).</param>
public sealed record DeploymentResponse(
    Guid Id, string ProjectKey, string Environment, string Release, string Status, string RequestedBy, string RequestedVia,
    int RequiredApprovals, IReadOnlyList<string> Approvers, int? Position, Guid? RunId, string? Repository, long? PullRequest,
    DateTimeOffset CreatedAt, DateTimeOffset? LockAcquiredAt, DateTimeOffset? LockExpiresAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Error, string? Log = null);
