using SfpPlatform.Core.Providers.AzureDevOps;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>
/// The repository a run is about, reached with the provider's short-lived credentials: how a workflow fetches the
/// source, reports a check and comments, the same way for GitHub (commit status + check run + PR comment) and Azure
/// DevOps (PR or commit status + PR thread).
/// </summary>
public abstract class RepositoryConnection
{
    /// <summary>"owner/repo" (GitHub) or "project/repo" (Azure DevOps).</summary>
    public required string FullName { get; init; }

    public required string Provider { get; init; }

    /// <summary>The provider token, for the environment of the commands a step runs (and to mask in their output).</summary>
    public abstract string Token { get; }

    /// <summary>The environment variable the provider's own tooling reads the token from.</summary>
    public abstract string TokenVariable { get; }

    /// <summary>The commit's files, extracted into <paramref name="destination"/>; returns the archive's size.</summary>
    public abstract Task<long> DownloadSourceAsync(string sha, string destination, CancellationToken cancellationToken);

    /// <summary>The repository's git URL, without credentials (the <c>origin</c> of a workspace's repository).</summary>
    public abstract string RemoteUrl { get; }

    /// <summary>The value of an HTTP <c>Authorization</c> header git sends to <see cref="RemoteUrl"/> (never log it).</summary>
    public abstract string GitAuthorization { get; }

    /// <summary>The pull request's head and base commits now (a comment event does not carry them).</summary>
    public abstract Task<(string Head, string? Base)> PullRequestCommitsAsync(long pullRequest, CancellationToken cancellationToken);

    /// <summary>Marks the check as running on the commit (and its pull request).</summary>
    public abstract Task StartCheckAsync(ReportedCheck check, string sha, long? pullRequest, string description, CancellationToken cancellationToken);

    /// <summary>Completes the check with its outcome; <paramref name="details"/> is the output shown where the provider has room.</summary>
    public abstract Task FinishCheckAsync(ReportedCheck check, string sha, long? pullRequest, bool succeeded, string summary, string details, CancellationToken cancellationToken);

    /// <summary>Comments on the pull request (a new thread on Azure DevOps).</summary>
    public abstract Task CommentAsync(long pullRequest, string markdown, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the commenter may start workflows: write, maintain or admin on GitHub. Azure DevOps grants commenting on
    /// a pull request only with "Contribute to pull requests" on the repository, so a comment there already proves it.
    /// </summary>
    public abstract Task<(bool Allowed, string Permission)> CommenterPermissionAsync(string login, CancellationToken cancellationToken);

    /// <summary>Whether the pull request has been merged (GitHub's <c>merged</c>; Azure DevOps: completed).</summary>
    public abstract Task<bool> PullRequestMergedAsync(long pullRequest, CancellationToken cancellationToken);

    /// <summary>
    /// Starts reporting a deployment of <paramref name="sha"/> to <paramref name="environment"/>: GitHub creates a
    /// deployment (its id returned); elsewhere there is none (null) and the statuses are commit statuses.
    /// </summary>
    public virtual Task<long?> CreateDeploymentAsync(string sha, string environment, string description, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(null);

    /// <summary>
    /// Reports a deployment's state (<see cref="DeploymentStates"/>): a GitHub deployment status on
    /// <paramref name="deploymentId"/>; elsewhere a commit status <c>sfp/deploy-&lt;environment&gt;</c> (pending while it
    /// waits or runs, then its outcome).
    /// </summary>
    public virtual Task SetDeploymentStatusAsync(
        long? deploymentId, string sha, string environment, string state, string description, CancellationToken cancellationToken)
    {
        var check = new ReportedCheck($"sfp/deploy-{environment}", $"sfp deploy {environment}");
        return state is DeploymentStates.Success or DeploymentStates.Failure or DeploymentStates.Error
            ? FinishCheckAsync(check, sha, null, state == DeploymentStates.Success, description, "", cancellationToken)
            : StartCheckAsync(check, sha, null, description, cancellationToken);
    }

    protected static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    protected static string WithoutCredentials(string url) => new UriBuilder(url) { UserName = "", Password = "" }.Uri.AbsoluteUri;

    protected static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"));

    /// <summary>Connects to the event's repository with the project's credentials.</summary>
    public static async Task<RepositoryConnection> ConnectAsync(RunInput input, string caller, IServiceProvider services, CancellationToken cancellationToken)
    {
        var e = input.Event;
        var fullName = e.Repository?.FullName
            ?? throw new NonRetryableStepException($"The {e.Name} event names no repository.");
        if (fullName.Split('/') is not [var owner, var repo])
        {
            throw new NonRetryableStepException($"'{fullName}' is not an owner/repository (or project/repository) name.");
        }

        switch (e.Provider)
        {
            case WebhookProviders.GitHub:
                var github = await services.GetRequiredService<GitHubClients>()
                    .ForRepositoryAsync(owner, repo, input.ProjectKey, caller, cancellationToken);
                return new GitHubRepositoryConnection(github) { FullName = fullName, Provider = e.Provider };
            case WebhookProviders.AzureDevOps:
                if (e.OrganizationUrl is null || !Uri.TryCreate(e.OrganizationUrl, UriKind.Absolute, out var organization))
                {
                    throw new NonRetryableStepException("The Azure DevOps event names no organisation.");
                }

                var client = await services.GetRequiredService<AzureDevOpsClients>()
                    .ForOrganizationAsync(organization, input.ProjectKey, caller, cancellationToken);
                return new AzureDevOpsRepositoryConnection(client, owner, repo) { FullName = fullName, Provider = e.Provider };
            default:
                throw new NonRetryableStepException($"Events from '{e.Provider}' are not handled.");
        }
    }
}
