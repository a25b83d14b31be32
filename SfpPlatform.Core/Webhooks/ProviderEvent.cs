namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// A delivery reduced to what routing and the workflows need, the same shape for GitHub and Azure DevOps.
/// <see cref="Name"/> is <c>push</c>, <c>pull_request</c>, <c>command</c> (a pull-request comment that starts with
/// <c>/sfp</c>), <c>comment</c> (any other pull-request comment), or the provider's own event name.
/// </summary>
public sealed record ProviderEvent
{
    public required string Provider { get; init; }

    public required string Name { get; init; }

    /// <summary>push: <c>pushed</c> or <c>deleted</c>; pull_request: <c>opened</c>, <c>synchronize</c>, <c>reopened</c>,
    /// <c>ready_for_review</c>, <c>closed</c>, ...; comment/command: <c>created</c>, <c>edited</c>, <c>deleted</c>.</summary>
    public string? Action { get; init; }

    public EventRepository? Repository { get; init; }

    /// <summary>The pushed branch, or a pull request's target branch (without <c>refs/heads/</c>).</summary>
    public string? Branch { get; init; }

    /// <summary>The pushed commit, or a pull request's head commit.</summary>
    public string? Sha { get; init; }

    public EventPullRequest? PullRequest { get; init; }

    /// <summary>push: the paths the pushed commits added, modified or removed; null when the provider does not say.</summary>
    public IReadOnlyList<string>? ChangedPaths { get; init; }

    public EventActor? Sender { get; init; }

    public EventComment? Comment { get; init; }

    public SfpCommand? Command { get; init; }

    /// <summary>The GitHub App installation the delivery came through.</summary>
    public long? InstallationId { get; init; }

    /// <summary>The GitHub organisation login, or the Azure DevOps organisation name.</summary>
    public string? Organization { get; init; }

    /// <summary>The Azure DevOps organisation URL (<c>https://dev.azure.com/{org}</c>).</summary>
    public string? OrganizationUrl { get; init; }

    /// <summary>Why an authentic delivery could not be read as its event (it is stored, never routed).</summary>
    public string? Problem { get; init; }
}

/// <param name="FullName"><c>owner/name</c> on GitHub; <c>project/repository</c> on Azure DevOps.</param>
/// <param name="Id">The provider's id of the repository (a number on GitHub, a GUID on Azure DevOps).</param>
public sealed record EventRepository(string FullName, string? Id, string? CloneUrl, string? DefaultBranch);

/// <param name="BaseSha">The target branch's commit the pull request is compared with (GitHub's <c>base.sha</c>, Azure
/// DevOps' <c>lastMergeTargetCommit</c>): sfp validate's <c>--baseRef</c>. A comment event does not carry it.</param>
public sealed record EventPullRequest(
    long Number, string? HeadBranch, string? HeadSha, string? BaseBranch, bool Draft, bool Merged, string? Title, string? BaseSha = null);

public sealed record EventActor(string Login, bool IsBot);

public sealed record EventComment(string Id, string? Body);
