using Octokit;
using SfpPlatform.Core.Providers.GitHub;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>
/// GitHub: the tarball of a commit, a commit status per check and, authenticated as an App, a check run (GitHub
/// refuses check runs to a PAT), issue comments, collaborator permission.
/// </summary>
public sealed class GitHubRepositoryConnection(GitHubConnection github) : RepositoryConnection
{
    private static readonly string[] Writers = ["admin", "maintain", "write"];

    private readonly Dictionary<string, long> _checkRuns = new(StringComparer.Ordinal);

    private string Owner => github.Owner;

    private string Repo => github.Repository;

    public override string Token => github.Token.Value;

    public override string TokenVariable => "GITHUB_TOKEN";

    public override async Task<long> DownloadSourceAsync(string sha, string destination, CancellationToken cancellationToken)
    {
        var archive = await github.ExecuteAsync(c => c.Repository.Content.GetArchive(Owner, Repo, ArchiveFormat.Tarball, sha), cancellationToken);
        await SourceArchives.ExtractTarballAsync(archive, destination, cancellationToken);
        return archive.Length;
    }

    public override string RemoteUrl => WithoutCredentials(github.CloneUrl());

    /// <summary>What git sends for an installation token (or PAT): <c>x-access-token</c> and the token, as basic auth.</summary>
    public override string GitAuthorization => Basic("x-access-token", Token);

    public override async Task<(string Head, string? Base)> PullRequestCommitsAsync(long pullRequest, CancellationToken cancellationToken)
    {
        var pr = await github.ExecuteAsync(c => c.PullRequest.Get(Owner, Repo, checked((int)pullRequest)), cancellationToken);
        return (pr.Head.Sha, pr.Base?.Sha);
    }

    public override async Task StartCheckAsync(ReportedCheck check, string sha, long? pullRequest, string description, CancellationToken cancellationToken)
    {
        await github.ExecuteAsync(c => c.Repository.Status.Create(Owner, Repo, sha,
            new NewCommitStatus { State = CommitState.Pending, Context = check.Context, Description = Clip(description, 140) }), cancellationToken);
        if (!github.IsApp)
        {
            return;
        }

        var run = await github.ExecuteAsync(c => c.Check.Run.Create(Owner, Repo,
            new NewCheckRun(check.Name, sha) { Status = CheckStatus.InProgress }), cancellationToken);
        _checkRuns[check.Name] = run.Id;
    }

    public override async Task FinishCheckAsync(ReportedCheck check, string sha, long? pullRequest, bool succeeded, string summary, string details, CancellationToken cancellationToken)
    {
        await github.ExecuteAsync(c => c.Repository.Status.Create(Owner, Repo, sha, new NewCommitStatus
        {
            State = succeeded ? CommitState.Success : CommitState.Failure,
            Context = check.Context,
            Description = Clip(summary, 140),
        }), cancellationToken);

        if (!github.IsApp)
        {
            // GitHub lets only Apps create check runs (a PAT gets 403): with a PAT the commit status is the report.
            return;
        }

        var output = new NewCheckRunOutput($"{check.Name}: {(succeeded ? "passed" : "failed")}", Clip(summary, 65_000)) { Text = Clip(details, 65_000) };
        if (_checkRuns.TryGetValue(check.Name, out var id))
        {
            await github.ExecuteAsync(c => c.Check.Run.Update(Owner, Repo, id, new CheckRunUpdate
            {
                Status = CheckStatus.Completed,
                Conclusion = succeeded ? CheckConclusion.Success : CheckConclusion.Failure,
                Output = output,
            }), cancellationToken);
        }
        else
        {
            await github.ExecuteAsync(c => c.Check.Run.Create(Owner, Repo, new NewCheckRun(check.Name, sha)
            {
                Status = CheckStatus.Completed,
                Conclusion = succeeded ? CheckConclusion.Success : CheckConclusion.Failure,
                Output = output,
            }), cancellationToken);
        }
    }

    public override Task CommentAsync(long pullRequest, string markdown, CancellationToken cancellationToken) =>
        github.ExecuteAsync(c => c.Issue.Comment.Create(Owner, Repo, checked((int)pullRequest), markdown), cancellationToken);

    public override async Task<(bool Allowed, string Permission)> CommenterPermissionAsync(string login, CancellationToken cancellationToken)
    {
        var permission = (await github.ExecuteAsync(c => c.Repository.Collaborator.ReviewPermission(Owner, Repo, login), cancellationToken)).Permission;
        return (Writers.Contains(permission, StringComparer.OrdinalIgnoreCase), permission);
    }

    public override async Task<bool> PullRequestMergedAsync(long pullRequest, CancellationToken cancellationToken) =>
        (await github.ExecuteAsync(c => c.PullRequest.Get(Owner, Repo, checked((int)pullRequest)), cancellationToken)).Merged;

    /// <summary>
    /// A GitHub deployment of the commit for the environment: no auto-merge and no required contexts (the platform
    /// already built and gated it), so GitHub records it as asked.
    /// </summary>
    public override async Task<long?> CreateDeploymentAsync(string sha, string environment, string description, CancellationToken cancellationToken)
    {
        var deployment = await github.ExecuteAsync(c => c.Repository.Deployment.Create(Owner, Repo, new NewDeployment(sha)
        {
            Environment = environment,
            Description = Clip(description, 140),
            AutoMerge = false,
            RequiredContexts = new System.Collections.ObjectModel.Collection<string>(),
            Task = "deploy",
        }), cancellationToken);
        return deployment.Id;
    }

    public override async Task SetDeploymentStatusAsync(
        long? deploymentId, string sha, string environment, string state, string description, CancellationToken cancellationToken)
    {
        if (deploymentId is not { } id)
        {
            await base.SetDeploymentStatusAsync(deploymentId, sha, environment, state, description, cancellationToken);
            return;
        }

        var deploymentState = state switch
        {
            DeploymentStates.Queued => DeploymentState.Queued,
            DeploymentStates.Pending => DeploymentState.Pending,
            DeploymentStates.InProgress => DeploymentState.InProgress,
            DeploymentStates.Success => DeploymentState.Success,
            DeploymentStates.Failure => DeploymentState.Failure,
            _ => DeploymentState.Error,
        };
        await github.ExecuteAsync(c => c.Repository.Deployment.Status.Create(Owner, Repo, id, new NewDeploymentStatus(deploymentState)
        {
            Environment = environment,
            Description = Clip(description, 140),
        }), cancellationToken);
    }
}
