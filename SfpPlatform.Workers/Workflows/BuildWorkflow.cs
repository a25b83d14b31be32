using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// Builds a pushed commit with sfp: the check reported as running on it; a build number for the project; the
/// commit's source as a git repository; the project's dev hub logged in as <c>devhub</c>; <c>sfp build</c> of the
/// <c>sfdx-project.json</c> packages the push changed (and any never published), numbered by the platform; then
/// <c>sfp publish --npm</c> to the platform's Verdaccio under the project's scope with the publisher account; the
/// build and what the registry now holds recorded; the check's outcome with the list.
/// </summary>
public static class BuildWorkflow
{
    public const string Caller = "workflow:build";

    public static readonly ReportedCheck Check = new("sfp/build", "sfp build");

    private const int Attempts = 3;

    public static WorkflowDefinition Create(BuildOptions options) => new(WorkflowNames.Build,
    [
        new StepDefinition("build", ctx => BuildAsync(ctx, options))
        {
            Retry = new RetryPolicy(Attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)),
            Timeout = options.Timeout,
        },
    ]);

    private static async Task BuildAsync(StepContext context, BuildOptions options)
    {
        var input = RunInput.From(context);
        var e = input.Event;
        var sha = e.Sha ?? throw new NonRetryableStepException("The push names no commit to build (a deleted branch is not built).");
        var repository = await RepositoryConnection.ConnectAsync(input, Caller, context.Services, context.CancellationToken);
        await repository.StartCheckAsync(Check, sha, pullRequest: null, "Build running", context.CancellationToken);

        try
        {
            var (artifacts, tail) = await BuildAndPublishAsync(context, options, input, repository, sha);
            var changed = artifacts.Where(a => a.Outcome != "unchanged").ToList();
            var summary = changed.Count == 0
                ? "no package changed"
                : $"published {string.Join(", ", changed.Select(a => $"{a.Name}@{a.Version}"))}";
            var details = new StringBuilder("| artifact | version | package | outcome |\n|---|---|---|---|\n");
            foreach (var artifact in artifacts)
            {
                details.Append(CultureInfo.InvariantCulture, $"| {artifact.Name} | {artifact.Version} | {artifact.Package} | {artifact.Outcome} |\n");
            }

            if (tail.Length > 0)
            {
                details.Append("\n```\n").Append(tail).Append("\n```\n");
            }

            await repository.FinishCheckAsync(Check, sha, null, succeeded: true, summary, details.ToString(), context.CancellationToken);
        }
        catch (Exception failure) when (Permanent(failure) is not null || context.Attempt >= Attempts)
        {
            await repository.FinishCheckAsync(Check, sha, null, succeeded: false, failure.Message, "", CancellationToken.None);
            if (Permanent(failure) is { } permanent && permanent != failure)
            {
                throw permanent;
            }

            throw;
        }
    }

    /// <summary>Failures no retry can mend, as the engine's non-retryable failure (Core throws its own types).</summary>
    private static NonRetryableStepException? Permanent(Exception failure) => failure switch
    {
        NonRetryableStepException step => step,
        SfdxProjectException or ProviderCredentialMissingException or SfpLoginException => new NonRetryableStepException(failure.Message, failure),
        PackageRegistryException { IsPermanent: true } => new NonRetryableStepException(failure.Message, failure),
        _ => null,
    };

    private static async Task<(List<PublishedArtifact> Artifacts, string Tail)> BuildAndPublishAsync(
        StepContext context, BuildOptions options, RunInput input, RepositoryConnection repository, string sha)
    {
        var e = input.Event;
        var scope = input.ProjectKey ?? options.DefaultScope;
        var branch = e.Branch ?? throw new NonRetryableStepException("The push names no branch to build.");
        var builds = context.Services.GetRequiredService<BuildRecords>();
        var number = await builds.NumberAsync(context.RunId, scope, e.Provider, repository.FullName, branch, sha, context.CancellationToken);
        await context.LogAsync($"build {number} of {scope}: {repository.FullName}@{sha}");

        using var workspace = await SfpWorkspace.CreateAsync(context, repository, new Dictionary<string, string?>
        {
            ["SFP_REPOSITORY"] = repository.FullName,
            ["SFP_HEAD_SHA"] = sha,
            ["SFP_BUILD_NUMBER"] = number.ToString(CultureInfo.InvariantCulture),
            ["SFP_PROJECT"] = input.ProjectKey,
        });
        await workspace.CheckoutAsync(repository, sha, baseCommit: null, branch);
        var packages = await SfdxProject.ReadAsync(workspace.Source, context.CancellationToken);

        // Only what the push changed, and what was never published: sfp build -p for each.
        var registry = context.Services.GetRequiredService<PackageRegistry>();
        var artifacts = new List<PublishedArtifact>();
        var toBuild = new List<SfdxPackage>();
        foreach (var package in packages)
        {
            var name = SfpArtifact.NpmName(scope, package.Name);
            var touched = e.ChangedPaths is not { } paths || package.IsTouchedBy(paths);
            if (!touched && await registry.VersionsAsync(name, context.CancellationToken) is { Count: > 0 } versions)
            {
                artifacts.Add(new PublishedArtifact(name, versions[^1], package.Name, package.Path, "unchanged"));
            }
            else
            {
                toBuild.Add(package);
            }
        }

        var tail = "";
        if (toBuild.Count > 0)
        {
            var credential = await context.Services.GetRequiredService<SalesforceOrgCredentials>()
                .DevHubAsync(input.ProjectKey, [], Caller, context.CancellationToken);
            await workspace.LoginAsync(SfpCommands.DevHubAlias, credential);

            var build = SfpCommands.Build(options, branch, number, [.. toBuild.Select(p => p.Name)]);
            (var built, tail) = await workspace.RunAsync(build, options.Command);
            if (!built.Succeeded)
            {
                throw new NonRetryableStepException($"sfp build exited with {built.ExitCode}: {built.Tail.LastOrDefault(l => l.Trim().Length > 0)}");
            }

            artifacts.AddRange(await PublishAsync(context, options, workspace, registry, scope, toBuild));
        }

        await builds.RecordArtifactsAsync(context.RunId, artifacts, context.CancellationToken);
        if (input.ProjectKey is { } project)
        {
            // A build of a branch an environment maps: its artifacts become a release, deployed there.
            try
            {
                var deployment = await context.Services.GetRequiredService<DeploymentStore>().DeployBuildAsync(
                    project, branch, context.RunId, number, sha,
                    [.. artifacts.Select(a => new ReleaseArtifact(a.Package, a.Name, a.Version))],
                    e.Sender?.Login ?? "build", JsonNode.Parse(context.Input.GetRawText())!.AsObject(),
                    context.Services.GetRequiredService<IWorkflowEngine>(), context.CancellationToken);
                if (deployment is not null)
                {
                    await context.LogAsync($"release {deployment.ReleaseName}: deploying to {deployment.EnvironmentName} (deployment {deployment.Id}, run {deployment.RunId})");
                }
            }
            catch (DeploymentRequestException refused)
            {
                // The build stands; the environment's rules kept it out.
                await context.LogAsync($"not deployed: {refused.Message}");
            }
        }

        return (artifacts, tail);
    }

    /// <summary>
    /// Publishes what sfp built with <c>sfp publish --npm</c> and the publisher's <c>.npmrc</c>, then reads the registry
    /// for each. A version already there is from an earlier attempt of this build (the build number is the run's), so
    /// it is left out of the publish rather than refused.
    /// </summary>
    private static async Task<List<PublishedArtifact>> PublishAsync(
        StepContext context, BuildOptions options, SfpWorkspace workspace, PackageRegistry registry, string scope, List<SfdxPackage> built)
    {
        var found = SfpArtifact.Find(Path.Combine(workspace.Source, SfpCommands.ArtifactDirectory));
        if (found.Count == 0)
        {
            throw new NonRetryableStepException($"sfp build wrote no artifact to {SfpCommands.ArtifactDirectory}/.");
        }

        var results = new List<(SfpArtifact Artifact, string Name, bool Already)>();
        foreach (var artifact in found)
        {
            var name = SfpArtifact.NpmName(scope, artifact.Package);
            var already = (await registry.VersionsAsync(name, context.CancellationToken)).Contains(artifact.Version, StringComparer.Ordinal);
            if (already)
            {
                File.Delete(artifact.File);
                await context.LogAsync($"{name}@{artifact.Version} is already in the registry (an earlier attempt of this build)");
            }

            results.Add((artifact, name, already));
        }

        if (results.Any(r => !r.Already))
        {
            var npmrc = await workspace.WriteNpmrcAsync(PackageRegistryRole.Publisher, scope);
            var (published, _) = await workspace.RunAsync(SfpCommands.Publish(options, scope, npmrc), options.Command);
            if (!published.Succeeded)
            {
                throw new InvalidOperationException($"sfp publish exited with {published.ExitCode}: {published.Tail.LastOrDefault(l => l.Trim().Length > 0)}");
            }
        }

        var artifacts = new List<PublishedArtifact>();
        foreach (var (artifact, name, already) in results)
        {
            if (!(await registry.VersionsAsync(name, context.CancellationToken)).Contains(artifact.Version, StringComparer.Ordinal))
            {
                throw new InvalidOperationException($"sfp publish reported success, but the registry has no {name}@{artifact.Version}.");
            }

            var package = built.FirstOrDefault(p => string.Equals(p.Name, artifact.Package, StringComparison.OrdinalIgnoreCase));
            artifacts.Add(new PublishedArtifact(name, artifact.Version, package?.Name ?? artifact.Package, package?.Path ?? "", already ? "already published" : "published"));
            await context.LogAsync($"{(already ? "already published" : "published")} {name}@{artifact.Version}");
        }

        return artifacts;
    }
}
