using System.Globalization;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// Review environments: an org from the project's pool (configuration, <c>ReviewEnvironments</c>) leased to a pull
/// request for 24 hours — on opening (through the validate workflow) or by <c>/sfp review-env</c>; <c>/sfp extend</c>
/// renews the lease, <c>/sfp release-env</c> gives it back, closing the pull request tears it down. Each answers on
/// the pull request.
/// </summary>
public static class ReviewEnvironmentWorkflows
{
    public const string Caller = "workflow:review-env";

    private static readonly RetryPolicy Retry = new(4, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

    public static IEnumerable<WorkflowDefinition> Definitions { get; } =
    [
        Single(WorkflowNames.ReviewEnvironment, "lease", ProvisionAsync),
        Single(WorkflowNames.ReviewEnvironmentExtend, "extend", ExtendAsync),
        Single(WorkflowNames.ReviewEnvironmentRelease, "release", ctx => ReleaseAsync(ctx, teardown: false)),
        Single(WorkflowNames.ReviewEnvironmentTeardown, "teardown", ctx => ReleaseAsync(ctx, teardown: true)),
    ];

    /// <summary>
    /// The validate workflow's first step: a newly opened (or reopened) pull request of a project with a pool gets
    /// a review-environment run of its own, so a newer validation superseding this one does not take it away.
    /// </summary>
    public static async Task ProvisionOnOpenAsync(StepContext context)
    {
        var input = RunInput.From(context);
        if (input.Event.Action is not ("opened" or "reopened")
            || context.Services.GetRequiredService<IOptions<ReviewEnvironmentOptions>>().Value.PoolFor(input.ProjectKey) is null)
        {
            return;
        }

        var runId = await context.Services.GetRequiredService<IWorkflowEngine>().TriggerAsync(
            new WorkflowTrigger(WorkflowNames.ReviewEnvironment, context.Input)
            {
                ProjectKey = input.ProjectKey,
                DeliveryId = input.Delivery?.Id,
                IdempotencyKey = $"review-env:{context.RunId}",
            }, context.CancellationToken);
        await context.LogAsync(runId is null ? "review environment already requested" : $"review environment requested (run {runId})");
    }

    private static async Task ProvisionAsync(StepContext context)
    {
        var (input, options, pool, holder, repository) = await PrepareAsync(context);
        if (pool is not var (name, orgs))
        {
            await repository.CommentAsync(holder.PullRequest, "No review-environment pool is configured for this project, so no org was leased.", context.CancellationToken);
            return;
        }

        var leases = context.Services.GetRequiredService<ReviewEnvironmentLeases>();
        var lease = await leases.AcquireAsync(name, [.. orgs.Orgs.Select(o => o.Name)], holder, context.RunId, options.LeaseDuration, context.CancellationToken);
        if (lease is null)
        {
            await repository.CommentAsync(holder.PullRequest,
                $"Every org of the `{name}` review-environment pool is leased ({orgs.Orgs.Count} of {orgs.Orgs.Count}). Ask again with `/sfp review-env` once one is released.",
                context.CancellationToken);
            await context.LogAsync($"pool {name} exhausted");
            return;
        }

        var org = orgs.Orgs.Single(o => o.Name == lease.Org);
        await context.LogAsync($"leased {lease.Org} from pool {name} until {lease.ExpiresAt:u}");
        await repository.CommentAsync(holder.PullRequest,
            $"🧪 Review environment `{lease.Org}` is leased to this pull request until {Format(lease.ExpiresAt)}."
            + (org.Username is null ? "" : $"\n\n- user: `{org.Username}`")
            + (org.LoginUrl is null ? "" : $"\n- sign in: {org.LoginUrl.AbsoluteUri}")
            + "\n\n`/sfp extend` renews the lease for another 24 hours; `/sfp release-env` gives the org back; closing the pull request does too.",
            context.CancellationToken);
    }

    private static async Task ExtendAsync(StepContext context)
    {
        var (_, options, pool, holder, repository) = await PrepareAsync(context);
        var lease = pool is var (name, _)
            ? await context.Services.GetRequiredService<ReviewEnvironmentLeases>().ExtendAsync(name, holder, options.LeaseDuration, context.CancellationToken)
            : null;
        await repository.CommentAsync(holder.PullRequest, lease is null
            ? "This pull request holds no review environment to extend: `/sfp review-env` leases one."
            : $"⏳ Review environment `{lease.Org}` is now leased until {Format(lease.ExpiresAt)}.", context.CancellationToken);
        await context.LogAsync(lease is null ? "no lease to extend" : $"extended {lease.Org} until {lease.ExpiresAt:u}");
    }

    private static async Task ReleaseAsync(StepContext context, bool teardown)
    {
        var (_, _, pool, holder, repository) = await PrepareAsync(context);
        if (teardown)
        {
            await CancelClosedPullRequestRunsAsync(context, holder, repository);
        }

        var org = pool is var (name, _)
            ? await context.Services.GetRequiredService<ReviewEnvironmentLeases>().ReleaseAsync(name, holder, context.CancellationToken)
            : null;
        await context.LogAsync(org is null ? "no lease to release" : $"released {org}");
        if (org is not null || !teardown)
        {
            await repository.CommentAsync(holder.PullRequest, org is null
                ? "This pull request holds no review environment to release."
                : $"Review environment `{org}` was released{(teardown ? " as the pull request closed" : "")}; it goes back to the pool.", context.CancellationToken);
        }
    }

    /// <summary>
    /// A closed pull request needs no validation and no review environment: their queued and running runs are
    /// cancelled (the engine stops a running one), and the pull request is told which.
    /// </summary>
    private static async Task CancelClosedPullRequestRunsAsync(StepContext context, LeaseHolder holder, RepositoryConnection repository)
    {
        string[] keys = [.. new[] { WorkflowNames.Validate, WorkflowNames.ReviewEnvironment }
            .Select(w => ConcurrencyKeys.PullRequest(holder.Provider, holder.Repository, holder.PullRequest, w))];
        var cancelled = await context.Services.GetRequiredService<WorkflowRunStore>()
            .CancelGroupsAsync(keys, "cancelled: the pull request was closed", context.CancellationToken);
        if (cancelled.Count == 0)
        {
            return;
        }

        var engine = context.Services.GetRequiredService<IWorkflowEngine>();
        foreach (var (id, _) in cancelled)
        {
            await engine.CancelAsync(id, context.CancellationToken);
        }

        var runs = string.Join(", ", cancelled.Select(r => $"{r.Workflow} (run {r.Id})"));
        await context.LogAsync($"cancelled {runs}: the pull request was closed");
        await repository.CommentAsync(holder.PullRequest, $"The pull request was closed, so these runs were cancelled: {runs}.", context.CancellationToken);
    }

    private static async Task<(RunInput Input, ReviewEnvironmentOptions Options, (string Name, ReviewEnvironmentPool Pool)? Pool, LeaseHolder Holder, RepositoryConnection Repository)>
        PrepareAsync(StepContext context)
    {
        var input = RunInput.From(context);
        var options = context.Services.GetRequiredService<IOptions<ReviewEnvironmentOptions>>().Value;
        var holder = Holder(input);
        var repository = await RepositoryConnection.ConnectAsync(input, Caller, context.Services, context.CancellationToken);
        return (input, options, options.PoolFor(input.ProjectKey), holder, repository);
    }

    /// <summary>Who a lease is for: the event's pull request.</summary>
    public static LeaseHolder Holder(RunInput input) =>
        new(input.Event.Provider, input.Event.Repository?.FullName ?? "", input.PullRequest.Number, input.ProjectKey);

    private static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static WorkflowDefinition Single(string workflow, string step, Func<StepContext, Task> run) =>
        new(workflow, [new StepDefinition(step, run) { Retry = Retry, Timeout = TimeSpan.FromMinutes(2) }]);
}
