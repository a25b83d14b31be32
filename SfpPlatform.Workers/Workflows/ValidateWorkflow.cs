using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Processes;

namespace SfpPlatform.Workers.Workflows;

/// <summary>Settings of the validate workflow (<c>Workflows:Validate</c>).</summary>
public sealed class ValidateOptions
{
    public const string SectionName = "Workflows:Validate";

    /// <summary>The program to run (default <c>sfp</c>, found on PATH).</summary>
    public string Command { get; set; } = "sfp";

    /// <summary>Its arguments (default <c>validate pool</c>).</summary>
    public List<string> Arguments { get; set; } = ["validate", "pool"];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);
}

/// <summary>
/// Validates a GitHub pull request: a pending commit status and an in-progress check run; the head commit's source
/// (GitHub's tarball, fetched with the installation token) in a workspace of its own; the project's Salesforce org
/// session; the configured sfp command run there with npm resolving through the platform's Verdaccio; then the final
/// status, the completed check run with the output's tail, and a summary comment on the pull request.
/// </summary>
public static class ValidateWorkflow
{
    public const string Caller = "workflow:validate";
    public const string StatusContext = "sfp/validate";
    public const string CheckName = "sfp validate";

    public static WorkflowDefinition Create(ValidateOptions options) => new(WorkflowNames.Validate,
    [
        new StepDefinition("validate", ctx => ValidateAsync(ctx, options))
        {
            Retry = new RetryPolicy(2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)),
            Timeout = options.Timeout,
        },
    ]);

    private static async Task ValidateAsync(StepContext context, ValidateOptions options)
    {
        var input = context.Input.Deserialize<RunInput>(RunInput.JsonOptions) ?? throw new NonRetryableStepException("The run has no input.");
        var e = input.Event;
        if (e.Provider != WebhookProviders.GitHub)
        {
            throw new NonRetryableStepException($"Validation of {e.Provider} pull requests is not implemented yet.");
        }

        if (e is not { Repository.FullName: { } fullName, PullRequest: { Number: var number, HeadSha: { } sha } }
            || fullName.Split('/') is not [var owner, var repo])
        {
            throw new NonRetryableStepException("The event names no repository, pull request or head commit.");
        }

        var github = await context.Services.GetRequiredService<GitHubClients>()
            .ForRepositoryAsync(owner, repo, input.ProjectKey, Caller, context.CancellationToken);
        await github.ExecuteAsync(c => c.Repository.Status.Create(owner, repo, sha,
            new NewCommitStatus { State = CommitState.Pending, Context = StatusContext, Description = "Validation running" }), context.CancellationToken);
        var check = await github.ExecuteAsync(c => c.Check.Run.Create(owner, repo,
            new NewCheckRun(CheckName, sha) { Status = CheckStatus.InProgress }), context.CancellationToken);

        var (succeeded, summary, tail) = await RunValidationAsync(context, options, input, github, owner, repo, sha, number);

        await github.ExecuteAsync(c => c.Repository.Status.Create(owner, repo, sha, new NewCommitStatus
        {
            State = succeeded ? CommitState.Success : CommitState.Failure,
            Context = StatusContext,
            Description = summary.Length <= 140 ? summary : summary[..140],
        }), context.CancellationToken);
        await github.ExecuteAsync(c => c.Check.Run.Update(owner, repo, check.Id, new CheckRunUpdate
        {
            Status = CheckStatus.Completed,
            Conclusion = succeeded ? CheckConclusion.Success : CheckConclusion.Failure,
            Output = new NewCheckRunOutput(succeeded ? "Validation passed" : "Validation failed", summary) { Text = "```\n" + tail + "\n```" },
        }), context.CancellationToken);
        await github.ExecuteAsync(c => c.Issue.Comment.Create(owner, repo, (int)number,
            $"{(succeeded ? "✅ Validation passed" : "❌ Validation failed")} for {sha[..Math.Min(7, sha.Length)]}: {summary}\n\n<details><summary>Output (last lines)</summary>\n\n```\n{tail}\n```\n</details>"),
            context.CancellationToken);
    }

    private static async Task<(bool Succeeded, string Summary, string Tail)> RunValidationAsync(
        StepContext context, ValidateOptions options, RunInput input, GitHubConnection github, string owner, string repo, string sha, long number)
    {
        using var workspace = RunWorkspace.Create(context.RunId);
        var archive = await github.ExecuteAsync(c => c.Repository.Content.GetArchive(owner, repo, ArchiveFormat.Tarball, sha), context.CancellationToken);
        await ExtractTarballAsync(archive, workspace.Path, context.CancellationToken);
        await context.LogAsync($"checked out {owner}/{repo}@{sha} ({archive.Length} bytes)");

        SalesforceSession org;
        try
        {
            org = await (await context.Services.GetRequiredService<SalesforceClients>()
                .ForProjectAsync(input.ProjectKey, Caller, context.CancellationToken)).SessionAsync(context.CancellationToken);
        }
        catch (Core.Providers.ProviderCredentialMissingException missing)
        {
            return (false, $"no Salesforce org is configured for this project ({missing.Message})", "");
        }

        var registry = context.Services.GetRequiredService<IConfiguration>()["services:verdaccio:http:0"];
        var environment = new Dictionary<string, string?>
        {
            ["SF_ACCESS_TOKEN"] = org.AccessToken,
            ["SF_INSTANCE_URL"] = org.InstanceUrl.AbsoluteUri,
            ["GITHUB_TOKEN"] = github.Token.Value,
            ["SFP_REPOSITORY"] = $"{owner}/{repo}",
            ["SFP_PULL_REQUEST"] = number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SFP_HEAD_SHA"] = sha,
            ["NPM_CONFIG_REGISTRY"] = registry,
        };
        var result = await context.Services.GetRequiredService<ProcessRunner>().RunAsync(
            new ProcessRequest(options.Command, options.Arguments)
            {
                WorkingDirectory = workspace.Path,
                Environment = environment,
                Secrets = [org.AccessToken, github.Token.Value],
            },
            context.LogAsync, context.CancellationToken);
        var tail = string.Join('\n', result.Tail.TakeLast(20));
        var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "";
        return (result.Succeeded, result.Succeeded ? last : $"{options.Command} exited with {result.ExitCode}: {last}", tail);
    }

    /// <summary>GitHub's tarball has one top folder (<c>owner-repo-sha</c>): its contents go to <paramref name="destination"/>.</summary>
    private static async Task ExtractTarballAsync(byte[] archive, string destination, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        await using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var parts = entry.Name.Split('/', 2);
            if (parts.Length < 2 || parts[1].Length == 0 || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(destination, parts[1]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                throw new NonRetryableStepException($"The archive entry '{entry.Name}' points outside the workspace.");
            }

            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }
}

/// <summary>The input the webhook intake gives a run: the delivery, the normalised event, the project.</summary>
public sealed record RunInput(RunDelivery? Delivery, ProviderEvent Event, string? ProjectKey)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

public sealed record RunDelivery(Guid Id, string Provider, string DeliveryId);
