namespace SfpPlatform.Contracts.Webhooks;

/// <summary>The pull request an event is about: its number, head and base branches, head commit, and state.</summary>
public sealed record EventPullRequest(long Number, string? HeadBranch, string? HeadSha, string? BaseBranch, bool Draft, bool Merged, string? Title);
