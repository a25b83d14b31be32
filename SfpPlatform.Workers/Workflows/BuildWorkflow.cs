using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Core.Packages;
using SfpPlatform.Workers.Repositories;

namespace SfpPlatform.Workers.Workflows;

/// <summary>Settings of the build workflow (<c>Workflows:Build</c>).</summary>
public sealed class BuildOptions
{
    public const string SectionName = "Workflows:Build";

    /// <summary>A command to run in the checked-out source before packing (none by default), e.g. a linter or code generation.</summary>
    public string? Command { get; set; }

    public List<string> Arguments { get; set; } = [];

    /// <summary>The npm scope of artifacts built for deliveries that belong to no project.</summary>
    public string DefaultScope { get; set; } = "sfp";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);
}

/// <summary>What one build published.</summary>
public sealed record PublishedArtifact(string Name, string Version, string Package, string Path, string Outcome, int Files);

/// <summary>
/// Builds a pushed commit: the check reported as running on it; a build number for the project; the commit's
/// source; its <c>sfdx-project.json</c> packages — each one the push changed (or never published) packed as an npm
/// package <c>@{project}/{package}@{major.minor.patch}-{build}</c> and published to the platform's Verdaccio with the
/// publisher account; the build and its artifacts recorded; the check's outcome with the list.
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
            Retry = new RetryPolicy(Attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)) { NonRetryable = [typeof(PackageVersionExistsException)] },
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
            var (published, tail) = await PublishAsync(context, options, input, repository, sha);
            var changed = published.Where(a => a.Outcome != "unchanged").ToList();
            var summary = changed.Count == 0
                ? "no package changed"
                : $"published {string.Join(", ", changed.Select(a => $"{a.Name}@{a.Version}"))}";
            var details = new StringBuilder("| artifact | version | files | outcome |\n|---|---|---|---|\n");
            foreach (var artifact in published)
            {
                details.Append(CultureInfo.InvariantCulture, $"| {artifact.Name} | {artifact.Version} | {artifact.Files} | {artifact.Outcome} |\n");
            }

            if (tail.Length > 0)
            {
                details.Append("\n```\n").Append(tail).Append("\n```\n");
            }

            await repository.FinishCheckAsync(Check, sha, null, succeeded: true, summary, details.ToString(), context.CancellationToken);
        }
        catch (Exception failure) when (failure is NonRetryableStepException or PackageVersionExistsException || context.Attempt >= Attempts)
        {
            await repository.FinishCheckAsync(Check, sha, null, succeeded: false, failure.Message, "", CancellationToken.None);
            throw;
        }
    }

    private static async Task<(List<PublishedArtifact> Artifacts, string Tail)> PublishAsync(
        StepContext context, BuildOptions options, RunInput input, RepositoryConnection repository, string sha)
    {
        var e = input.Event;
        var scope = input.ProjectKey ?? options.DefaultScope;
        var number = await context.Services.GetRequiredService<BuildRecords>()
            .NumberAsync(context.RunId, scope, e.Provider, repository.FullName, e.Branch, sha, context.CancellationToken);
        await context.LogAsync($"build {number} of {scope}: {repository.FullName}@{sha}");

        using var workspace = RunWorkspace.Create(context.RunId);
        var size = await repository.DownloadSourceAsync(sha, workspace.Path, context.CancellationToken);
        await context.LogAsync($"checked out {repository.FullName}@{sha} ({size} bytes)");
        var packages = await SfdxProject.ReadAsync(workspace.Path, context.CancellationToken);
        var registry = context.Services.GetRequiredService<PackageRegistry>();

        var tail = "";
        if (!string.IsNullOrWhiteSpace(options.Command))
        {
            (var result, tail) = await WorkspaceCommand.RunAsync(context, workspace.Path, options.Command, options.Arguments,
                new Dictionary<string, string?>
                {
                    [repository.TokenVariable] = repository.Token,
                    ["SFP_REPOSITORY"] = repository.FullName,
                    ["SFP_HEAD_SHA"] = sha,
                    ["SFP_BUILD_NUMBER"] = number.ToString(CultureInfo.InvariantCulture),
                    ["SFP_PROJECT"] = input.ProjectKey,
                },
                [repository.Token]);
            if (!result.Succeeded)
            {
                throw new NonRetryableStepException($"{options.Command} exited with {result.ExitCode}: {result.Tail.LastOrDefault()}");
            }
        }

        var artifacts = new List<PublishedArtifact>();
        foreach (var package in packages)
        {
            var name = SfdxProject.ArtifactName(scope, package.Name);
            var version = package.ArtifactVersion(number);
            var directory = Path.Combine(workspace.Path, package.Path);
            if (!Directory.Exists(directory))
            {
                throw new NonRetryableStepException($"Package '{package.Name}' names the directory '{package.Path}', which the commit does not have.");
            }

            var touched = e.ChangedPaths is not { } paths || package.IsTouchedBy(paths);
            if (!touched && (await registry.VersionsAsync(name, context.CancellationToken)).Count > 0)
            {
                artifacts.Add(new PublishedArtifact(name, version, package.Name, package.Path, "unchanged", 0));
                continue;
            }

            var packed = NpmPackage.Pack(Manifest(name, version, package, repository, e.Branch, sha, number), Files(workspace.Path, package.Path));
            var outcome = await registry.PublishAsync(packed, context.CancellationToken);
            var word = outcome == PublishOutcome.Published ? "published" : "already published";
            await context.LogAsync($"{word} {name}@{version} ({packed.Files} files, {packed.Tarball.Length} bytes, {packed.Integrity[..15]}…)");
            artifacts.Add(new PublishedArtifact(name, version, package.Name, package.Path, word, packed.Files));
        }

        await context.Services.GetRequiredService<BuildRecords>().RecordArtifactsAsync(context.RunId, artifacts, context.CancellationToken);
        return (artifacts, tail);
    }

    /// <summary>The artifact's package.json: what it is, and where and from what it was built.</summary>
    private static JsonObject Manifest(string name, string version, SfdxPackage package, RepositoryConnection repository, string? branch, string sha, long number) => new()
    {
        ["name"] = name,
        ["version"] = version,
        ["description"] = $"sfp artifact of {package.Name} from {repository.FullName}@{sha[..Math.Min(7, sha.Length)]}",
        ["license"] = "UNLICENSED",
        ["sfp"] = new JsonObject
        {
            ["package"] = package.Name,
            ["path"] = package.Path,
            ["versionNumber"] = package.VersionNumber,
            ["provider"] = repository.Provider,
            ["repository"] = repository.FullName,
            ["branch"] = branch,
            ["commit"] = sha,
            ["buildNumber"] = number,
        },
    };

    /// <summary>The package directory's files, and the project file sfp needs beside them.</summary>
    private static IEnumerable<(string PackagePath, string FilePath)> Files(string workspace, string packagePath)
    {
        yield return (SfdxProject.FileName, Path.Combine(workspace, SfdxProject.FileName));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(workspace, packagePath), "*", SearchOption.AllDirectories))
        {
            yield return (Path.GetRelativePath(workspace, file).Replace('\\', '/'), file);
        }
    }
}
