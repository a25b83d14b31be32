namespace SfpPlatform.Contracts.Webhooks;

/// <summary>The pull request an event is about: its number, head and base branches, head commit, and state.</summary>
/// <param name="BaseSha">The target branch's commit the pull request is compared with (GitHub's <c>base.sha</c>, Azure
/// DevOps' <c>lastMergeTargetCommit</c>): sfp validate's <c>--baseRef</c>. A comment event does not carry it.</param>
public sealed record EventPullRequest(
    long Number, string? HeadBranch, string? HeadSha, string? BaseBranch, bool Draft, bool Merged, string? Title, string? BaseSha = null);
