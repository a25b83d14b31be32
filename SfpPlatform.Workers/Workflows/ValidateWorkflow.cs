using System.Globalization;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.Repositories;

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
/// Validates a pull request (GitHub or Azure DevOps): the check reported as running; the head commit's source in a
/// workspace of its own; the project's Salesforce org session; the configured sfp command run there with npm resolving
/// through the platform's Verdaccio; then the check's outcome and a summary comment on the pull request. A newly
/// opened pull request also gets its review environment, where the project has a pool.
/// </summary>
public static class ValidateWorkflow
{
    public const string Caller = "workflow:validate";

    public static readonly ReportedCheck Check = new("sfp/validate", "sfp validate");

    public static WorkflowDefinition Create(ValidateOptions options) => new(WorkflowNames.Validate,
    [
        new StepDefinition("review-environment", ReviewEnvironmentWorkflows.ProvisionOnOpenAsync)
        {
            Retry = new RetryPolicy(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)),
            Timeout = TimeSpan.FromMinutes(1),
        },
        new StepDefinition("validate", ctx => ValidateAsync(ctx, options))
        {
            Retry = new RetryPolicy(2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)),
            Timeout = options.Timeout,
        },
    ]);

    private static async Task ValidateAsync(StepContext context, ValidateOptions options)
    {
        var input = RunInput.From(context);
        var pr = input.PullRequest;
        var repository = await RepositoryConnection.ConnectAsync(input, Caller, context.Services, context.CancellationToken);
        var sha = pr.HeadSha ?? await repository.HeadShaAsync(pr.Number, context.CancellationToken);
        await repository.StartCheckAsync(Check, sha, pr.Number, "Validation running", context.CancellationToken);

        var (succeeded, summary, tail) = await RunValidationAsync(context, options, input, repository, sha, pr.Number);

        await repository.FinishCheckAsync(Check, sha, pr.Number, succeeded, summary, "```\n" + tail + "\n```", context.CancellationToken);
        await repository.CommentAsync(pr.Number,
            $"{(succeeded ? "✅ Validation passed" : "❌ Validation failed")} for {sha[..Math.Min(7, sha.Length)]}: {summary}\n\n<details><summary>Output (last lines)</summary>\n\n```\n{tail}\n```\n</details>",
            context.CancellationToken);
    }

    private static async Task<(bool Succeeded, string Summary, string Tail)> RunValidationAsync(
        StepContext context, ValidateOptions options, RunInput input, RepositoryConnection repository, string sha, long number)
    {
        using var workspace = RunWorkspace.Create(context.RunId);
        var size = await repository.DownloadSourceAsync(sha, workspace.Path, context.CancellationToken);
        await context.LogAsync($"checked out {repository.FullName}@{sha} ({size} bytes)");

        SalesforceSession org;
        try
        {
            org = await (await context.Services.GetRequiredService<SalesforceClients>()
                .ForProjectAsync(input.ProjectKey, Caller, context.CancellationToken)).SessionAsync(context.CancellationToken);
        }
        catch (ProviderCredentialMissingException missing)
        {
            return (false, $"no Salesforce org is configured for this project ({missing.Message})", "");
        }

        var environment = new Dictionary<string, string?>
        {
            ["SF_ACCESS_TOKEN"] = org.AccessToken,
            ["SF_INSTANCE_URL"] = org.InstanceUrl.AbsoluteUri,
            [repository.TokenVariable] = repository.Token,
            ["SFP_REPOSITORY"] = repository.FullName,
            ["SFP_PULL_REQUEST"] = number.ToString(CultureInfo.InvariantCulture),
            ["SFP_HEAD_SHA"] = sha,
            ["SFP_PROJECT"] = input.ProjectKey,
        };
        var (result, tail) = await WorkspaceCommand.RunAsync(
            context, workspace.Path, options.Command, options.Arguments, environment, [org.AccessToken, repository.Token]);
        var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "";
        return (result.Succeeded, result.Succeeded ? last : $"{options.Command} exited with {result.ExitCode}: {last}", tail);
    }
}
