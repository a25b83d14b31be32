using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// Validates a pull request (GitHub or Azure DevOps): the check reported as running; the head commit's source (on
/// top of the base commit's) as a git repository in a workspace of its own; the project's dev hub logged in as
/// <c>devhub</c>; then <c>sfp validate org</c> against the review org leased to the pull request (logged in under
/// its pool name) or, without one, <c>sfp validate pool</c>, with <c>--ref</c>/<c>--baseRef</c> from the pull request
/// and npm resolving through the platform's Verdaccio; then the check's outcome and a summary comment. A newly opened
/// pull request also gets its review environment, where the project has a pool.
/// </summary>
public static class ValidateWorkflow
{
    public const string Caller = "workflow:validate";

    public static readonly ReportedCheck Check = new("sfp/validate", "sfp validate");

    private const int Attempts = 2;

    public static WorkflowDefinition Create(ValidateOptions settings) => settings.Validated() is var options ? new(WorkflowNames.Validate,
    [
        new StepDefinition("review-environment", ReviewEnvironmentWorkflows.ProvisionOnOpenAsync)
        {
            Retry = new RetryPolicy(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)),
            Timeout = TimeSpan.FromMinutes(1),
        },
        new StepDefinition("validate", ctx => ValidateAsync(ctx, options))
        {
            Retry = new RetryPolicy(Attempts, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)),
            Timeout = options.Timeout,
        },
    ]) : throw new UnreachableException();

    private static async Task ValidateAsync(StepContext context, ValidateOptions options)
    {
        var input = RunInput.From(context);
        var pr = input.PullRequest;
        var repository = await RepositoryConnection.ConnectAsync(input, Caller, context.Services, context.CancellationToken);
        var (head, baseCommit) = pr.HeadSha is { } sha
            ? (sha, pr.BaseSha)
            : await repository.PullRequestCommitsAsync(pr.Number, context.CancellationToken);
        await repository.StartCheckAsync(Check, head, pr.Number, "Validation running", context.CancellationToken);

        (bool Succeeded, string Summary, string Tail) outcome;
        try
        {
            outcome = await RunValidationAsync(context, options, input, repository, head, baseCommit);
        }
        catch (Exception failure) when (failure is not OperationCanceledException
            && (failure is NonRetryableStepException || context.Attempt >= Attempts))
        {
            // No sfp installed, a source that cannot be checked out: the check says so rather than staying pending.
            await repository.FinishCheckAsync(Check, head, pr.Number, succeeded: false, failure.Message, "", CancellationToken.None);
            throw;
        }

        var (succeeded, summary, tail) = outcome;

        await repository.FinishCheckAsync(Check, head, pr.Number, succeeded, summary, "```\n" + tail + "\n```", context.CancellationToken);
        await repository.CommentAsync(pr.Number,
            $"{(succeeded ? "✅ Validation passed" : "❌ Validation failed")} for {head[..Math.Min(7, head.Length)]}: {summary}\n\n<details><summary>Output (last lines)</summary>\n\n```\n{tail}\n```\n</details>",
            context.CancellationToken);
    }

    private static async Task<(bool Succeeded, string Summary, string Tail)> RunValidationAsync(
        StepContext context, ValidateOptions options, RunInput input, RepositoryConnection repository, string head, string? baseCommit)
    {
        var pr = input.PullRequest;
        using var workspace = await SfpWorkspace.CreateAsync(context, repository, new Dictionary<string, string?>
        {
            ["SFP_REPOSITORY"] = repository.FullName,
            ["SFP_PULL_REQUEST"] = pr.Number.ToString(CultureInfo.InvariantCulture),
            ["SFP_HEAD_SHA"] = head,
            ["SFP_PROJECT"] = input.ProjectKey,
        });
        await workspace.CheckoutAsync(repository, head, baseCommit, pr.HeadBranch ?? $"pr-{pr.Number.ToString(CultureInfo.InvariantCulture)}");

        var (pool, reviewOrg) = await ReviewOrgAsync(context, input);
        var orgs = context.Services.GetRequiredService<SalesforceOrgCredentials>();
        try
        {
            var poolUsers = pool?.Orgs.Select(o => o.Username).OfType<string>().ToList() ?? [];
            await workspace.LoginAsync(SfpCommands.DevHubAlias, await orgs.DevHubAsync(input.ProjectKey, poolUsers, Caller, context.CancellationToken));
            if (reviewOrg is not null)
            {
                var username = reviewOrg.Username
                    ?? throw new ProviderCredentialMissingException($"The review org '{reviewOrg.Name}' has no Username in its pool's configuration.");
                await workspace.LoginAsync(reviewOrg.Name, await orgs.ForUsernameAsync(input.ProjectKey, username, Caller, context.CancellationToken));
            }
        }
        catch (Exception e) when (e is ProviderCredentialMissingException or SfpLoginException)
        {
            return (false, $"no Salesforce org to validate with ({e.Message})", "");
        }

        var refs = baseCommit is null ? null : new PullRequestRefs(head, baseCommit);
        var commandLine = reviewOrg is null
            ? SfpCommands.ValidatePool(options, refs)
            : SfpCommands.ValidateOrg(options, reviewOrg.Name, refs);
        var (result, tail) = await workspace.RunAsync(commandLine, options.Command);
        var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "";
        return (result.Succeeded, result.Succeeded ? last : $"sfp {commandLine.CommandId.Replace(':', ' ')} exited with {result.ExitCode}: {last}", tail);
    }

    /// <summary>
    /// The review org the pull request holds in its project's pool: a newly opened (or reopened) pull request takes
    /// one now — the review-environment run started beside this one gets the same lease — later validations use the
    /// one it holds.
    /// </summary>
    private static async Task<(ReviewEnvironmentPool? Pool, ReviewOrg? Org)> ReviewOrgAsync(StepContext context, RunInput input)
    {
        var options = context.Services.GetRequiredService<IOptions<ReviewEnvironmentOptions>>().Value;
        if (options.PoolFor(input.ProjectKey) is not var (name, pool))
        {
            return (null, null);
        }

        var leases = context.Services.GetRequiredService<ReviewEnvironmentLeases>();
        var holder = ReviewEnvironmentWorkflows.Holder(input);
        var lease = input.Event.Action is "opened" or "reopened"
            ? await leases.AcquireAsync(name, [.. pool.Orgs.Select(o => o.Name)], holder, context.RunId, options.LeaseDuration, context.CancellationToken)
            : await leases.CurrentAsync(name, holder, context.CancellationToken);
        return (pool, lease is null ? null : pool.Orgs.SingleOrDefault(o => o.Name == lease.Org));
    }
}
