using SfpPlatform.Core.Providers.AzureDevOps;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>Azure DevOps (REST 7.1): the items zip of a commit, pull request (or commit) statuses, pull request threads.</summary>
public sealed class AzureDevOpsRepositoryConnection(AzureDevOpsClient client, string project, string repository) : RepositoryConnection
{
    public override string Token => client.Token;

    /// <summary>What the Azure DevOps CLI (and sfp's Azure DevOps support) read a PAT from.</summary>
    public override string TokenVariable => "AZURE_DEVOPS_EXT_PAT";

    public override async Task<long> DownloadSourceAsync(string sha, string destination, CancellationToken cancellationToken)
    {
        var archive = await client.DownloadZipAsync(project, repository, sha, cancellationToken);
        await SourceArchives.ExtractZipAsync(archive, destination, cancellationToken);
        return archive.Length;
    }

    public override string RemoteUrl => WithoutCredentials(client.CloneUrl(project, repository));

    /// <summary>A PAT as git sends it to Azure Repos: basic auth with any user name.</summary>
    public override string GitAuthorization => Basic("sfp", Token);

    public override async Task<(string Head, string? Base)> PullRequestCommitsAsync(long pullRequest, CancellationToken cancellationToken)
    {
        var pr = await client.GetPullRequestAsync(project, repository, checked((int)pullRequest), cancellationToken);
        return (pr.LastMergeSourceCommit?.CommitId
            ?? throw new Core.Workflows.NonRetryableStepException($"Pull request {pullRequest} of {FullName} has no source commit."),
            pr.LastMergeTargetCommit?.CommitId);
    }

    public override Task StartCheckAsync(ReportedCheck check, string sha, long? pullRequest, string description, CancellationToken cancellationToken) =>
        StatusAsync(check, sha, pullRequest, "pending", description, cancellationToken);

    public override Task FinishCheckAsync(ReportedCheck check, string sha, long? pullRequest, bool succeeded, string summary, string details, CancellationToken cancellationToken) =>
        StatusAsync(check, sha, pullRequest, succeeded ? "succeeded" : "failed", summary, cancellationToken);

    public override Task CommentAsync(long pullRequest, string markdown, CancellationToken cancellationToken) =>
        client.CreateThreadAsync(project, repository, checked((int)pullRequest), markdown, cancellationToken);

    public override Task<(bool Allowed, string Permission)> CommenterPermissionAsync(string login, CancellationToken cancellationToken) =>
        Task.FromResult((true, "contribute to pull requests"));

    public override async Task<bool> PullRequestMergedAsync(long pullRequest, CancellationToken cancellationToken) =>
        string.Equals((await client.GetPullRequestAsync(project, repository, checked((int)pullRequest), cancellationToken)).Status, "completed", StringComparison.OrdinalIgnoreCase);

    private Task StatusAsync(ReportedCheck check, string sha, long? pullRequest, string state, string description, CancellationToken cancellationToken)
    {
        var status = new AzureDevOpsStatus(state, Clip(description, 400), check.Context.Split('/')[^1], check.Context.Split('/')[0]);
        return pullRequest is { } number
            ? client.CreatePullRequestStatusAsync(project, repository, checked((int)number), status, cancellationToken)
            : client.CreateCommitStatusAsync(project, repository, sha, status, cancellationToken);
    }
}
