using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Environments;

/// <summary>A deployment request that could not be made, and why (for a 4xx answer or a PR reply).</summary>
public sealed class DeploymentRequestException(string message, string field = "environment") : Exception(message)
{
    /// <summary>The request field the problem is about.</summary>
    public string Field { get; } = field;
}

// Requests: which release a promotion takes, the environment's rules on source branches, and the deployment a build of
// a mapped branch starts.
public sealed partial class DeploymentStore
{
    /// <summary>The environment that comes before <paramref name="environment"/> in its project's promotion order, if any.</summary>
    public Task<DeploymentEnvironment?> PreviousEnvironmentAsync(DeploymentEnvironment environment, CancellationToken cancellationToken) =>
        Environments.Where(e => e.ProjectKey == environment.ProjectKey && e.PromotionOrder < environment.PromotionOrder)
            .OrderByDescending(e => e.PromotionOrder).ThenBy(e => e.Name).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// What a promotion to <paramref name="environment"/> deploys: the release now in the previous environment of the
    /// promotion order; for the first environment, the project's newest release.
    /// </summary>
    public async Task<Release> PromotionSourceAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        if (await PreviousEnvironmentAsync(environment, cancellationToken) is { } previous)
        {
            return await CurrentReleaseAsync(previous.Id, cancellationToken)
                ?? throw new DeploymentRequestException($"Nothing has been deployed to {previous.Name} (before {environment.Name} in the promotion order) yet: there is nothing to promote.");
        }

        return await Releases.Where(r => r.ProjectKey == environment.ProjectKey).OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(cancellationToken)
            ?? throw new DeploymentRequestException($"Project '{environment.ProjectKey}' has no release to deploy to {environment.Name}.");
    }

    /// <summary>Refuses a release whose branch the environment does not allow.</summary>
    public static void CheckAllowed(DeploymentEnvironment environment, Release release)
    {
        if (environment.AllowedBranches.Length > 0 && !environment.AllowedBranches.Contains(release.Branch ?? "", StringComparer.Ordinal))
        {
            throw new DeploymentRequestException(
                $"{environment.Name} accepts releases of {string.Join(", ", environment.AllowedBranches)} only; {release.Name} is of {release.Branch ?? "no branch"}.", "release");
        }
    }

    /// <summary>
    /// After a successful build of <paramref name="branch"/>: when an environment of the project maps that branch, a
    /// release of the build's artifacts and its deployment there (once per build run). Null when no environment maps it.
    /// </summary>
    public async Task<Deployment?> DeployBuildAsync(
        string projectKey, string branch, Guid buildRunId, long buildNumber, string sha, IReadOnlyList<ReleaseArtifact> artifacts,
        string requestedBy, JsonObject origin, IWorkflowEngine engine, CancellationToken cancellationToken)
    {
        var environment = await Environments.SingleOrDefaultAsync(e => e.ProjectKey == projectKey && e.Branch == branch, cancellationToken);
        if (environment is null || artifacts.Count == 0)
        {
            return null;
        }

        var name = $"{branch.Replace('/', '-')}-{buildNumber}";
        var release = await AddReleaseAsync(projectKey, name, artifacts, "build", requestedBy, buildRunId, branch, sha, origin.DeepClone(), cancellationToken)
            ?? await Releases.SingleAsync(r => r.ProjectKey == projectKey && r.Name == name, cancellationToken);
        if (await Deployments.SingleOrDefaultAsync(d => d.ReleaseId == release.Id && d.EnvironmentId == environment.Id && d.RequestedVia == "build", cancellationToken) is { } existing)
        {
            return existing;  // a retried build step
        }

        CheckAllowed(environment, release);
        return await RequestAsync(environment, release, requestedBy, "build", origin, engine, cancellationToken);
    }
}
