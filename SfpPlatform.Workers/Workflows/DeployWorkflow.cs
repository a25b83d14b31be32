using System.Globalization;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.SourceControl;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Workflows;

/// <summary>Settings of the deploy workflow (<c>Workflows:Deploy</c>).</summary>
public sealed class DeployOptions
{
    public const string SectionName = "Workflows:Deploy";

    /// <summary>A program run in place of the installed sfp, with the same arguments (a wrapper); none by default.</summary>
    public string? Command { get; set; }

    /// <summary>Further flags for <c>sfp release</c>, e.g. <c>--waittime 120</c>.</summary>
    public List<string>? Arguments { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);
}

/// <summary>
/// Deploys a release to an environment, one deployment per run, picking up where the deployment's record says it
/// stands each time the step runs: its place in the environment's lock queue (parked until the lock is free or its
/// holder's lock times out), its approvals (parked until a decision resumes it), the wait timer (parked until due),
/// then <c>sfp release -p &lt;definition&gt; -o &lt;environment&gt; --npm --scope &lt;project&gt; --npmrcpath &lt;file&gt;</c>
/// with the environment's org logged in under its name and npm through Verdaccio only; the outcome recorded, the lock
/// released, the next deployment woken, and the provider told (GitHub deployment statuses, a PR comment).
/// </summary>
public static class DeployWorkflow
{
    public const string Caller = "workflow:deploy";

    public const string DefinitionFile = "releasedefinition.yml";

    private const int Attempts = 3;

    public static WorkflowDefinition Create(DeployOptions options) => new(WorkflowNames.Deploy,
    [
        new StepDefinition("deploy", ctx => DeployAsync(ctx, options))
        {
            Retry = new RetryPolicy(Attempts, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)),
            Timeout = options.Timeout,
        },
    ]);

    private static async Task DeployAsync(StepContext context, DeployOptions options)
    {
        var ct = context.CancellationToken;
        if (!context.Input.TryGetProperty(DeploymentStore.DeploymentIdMember, out var idElement) || !Guid.TryParse(idElement.GetString(), out var id))
        {
            throw new NonRetryableStepException("The run names no deployment (deploy runs are started by a deployment request).");
        }

        var store = context.Services.GetRequiredService<DeploymentStore>();
        var deployment = await store.FindAsync(id, ct) ?? throw new NonRetryableStepException($"There is no deployment {id}.");
        var input = RunInput.From(context);
        var repository = deployment.Repository is null || deployment.Sha is null
            ? null
            : await RepositoryConnection.ConnectAsync(input, Caller, context.Services, ct);
        var reporter = new Reporter(context, store, repository, deployment);

        if (DeploymentStatuses.IsFinished(deployment.Status))
        {
            await reporter.EndAsync(deployment);
            return;
        }

        await reporter.CreateAsync();

        var state = await store.TakeLockAsync(id, ct);
        deployment = (await store.FindAsync(id, ct))!;
        if (DeploymentStatuses.IsFinished(deployment.Status))
        {
            await reporter.EndAsync(deployment);
            return;
        }

        if (!state.Holds)
        {
            var reason = $"waiting for the lock of {deployment.EnvironmentName}: #{state.Position} in the queue"
                + (state.Holder is { } holder ? $", behind {holder.ReleaseName} requested by {holder.RequestedBy}" : "");
            await context.LogAsync(reason);
            throw new StepWaitingException(reason, state.RetryAt);
        }

        if (deployment.Status == DeploymentStatuses.AwaitingApproval)
        {
            var approvals = await store.ApproversAsync(id, ct);
            var reason = $"waiting for approval: {approvals.Count} of {deployment.RequiredApprovals} to deploy {deployment.ReleaseName} to {deployment.EnvironmentName}";
            await context.LogAsync(reason);
            await reporter.StatusAsync(DeploymentStates.Pending, reason);
            throw new StepWaitingException(reason);
        }

        if (deployment.Status == DeploymentStatuses.Approved && deployment.NotBefore is { } notBefore && notBefore > DateTimeOffset.UtcNow)
        {
            var reason = $"waiting for the wait timer of {deployment.EnvironmentName}: due at {notBefore:u}";
            await context.LogAsync(reason);
            throw new StepWaitingException(reason, notBefore);
        }

        if (!await store.StartAsync(id, ct))
        {
            deployment = (await store.FindAsync(id, ct))!;
            await reporter.EndAsync(deployment);
            return;
        }

        await reporter.StatusAsync(DeploymentStates.InProgress, $"deploying {deployment.ReleaseName} to {deployment.EnvironmentName}");
        var (succeeded, error, log) = await ReleaseAsync(context, options, store, deployment, repository);
        await store.FinishAsync(id, succeeded, error, log, ct);
        deployment = (await store.FindAsync(id, ct))!;
        await reporter.EndAsync(deployment);
    }

    /// <summary>Runs <c>sfp release</c> for the deployment; returns the outcome, the error and the output's last lines.</summary>
    private static async Task<(bool Succeeded, string? Error, string Log)> ReleaseAsync(
        StepContext context, DeployOptions options, DeploymentStore store, Deployment deployment, RepositoryConnection? repository)
    {
        var ct = context.CancellationToken;
        var environment = await store.Environments.SingleAsync(e => e.Id == deployment.EnvironmentId, ct);
        var release = await store.Releases.SingleAsync(r => r.Id == deployment.ReleaseId, ct);
        try
        {
            using var workspace = await SfpWorkspace.CreateAsync(context, repository, new Dictionary<string, string?>
            {
                ["SFP_PROJECT"] = deployment.ProjectKey,
                ["SFP_ENVIRONMENT"] = environment.Name,
                ["SFP_RELEASE"] = release.Name,
                ["SFP_REPOSITORY"] = repository?.FullName,
                ["SFP_HEAD_SHA"] = deployment.Sha,
            });
            var credential = await context.Services.GetRequiredService<SalesforceOrgCredentials>()
                .ForIntegrationAsync(deployment.ProjectKey, environment.SalesforceIntegration, Caller, ct);
            await workspace.LoginAsync(environment.Name, credential);

            var definition = Path.Combine(workspace.Source, DefinitionFile);
            await File.WriteAllTextAsync(definition, release.Definition, ct);
            await context.LogAsync($"release definition {release.Name}:\n{release.Definition.TrimEnd()}");
            var npmrc = await workspace.WriteNpmrcAsync(PackageRegistryRole.Reader, deployment.ProjectKey);
            var command = SfpCommands.Release([definition], environment.Name, deployment.ProjectKey, npmrc, withDevHub: false);
            command = new SfpCommandLine([.. command.Arguments, .. options.Arguments ?? []]);
            var (result, tail) = await workspace.RunAsync(command, options.Command);
            return result.Succeeded
                ? (true, null, tail)
                : (false, $"sfp release exited with {result.ExitCode}: {result.Tail.LastOrDefault(l => l.Trim().Length > 0)}", tail);
        }
        catch (Exception e) when (e is ProviderCredentialMissingException or SfpLoginException)
        {
            return (false, e.Message, "");
        }
    }

    /// <summary>Tells the provider how the deployment stands: a GitHub deployment and its statuses (elsewhere commit statuses), and a PR comment at the end.</summary>
    private sealed class Reporter(StepContext context, DeploymentStore store, RepositoryConnection? repository, Deployment deployment)
    {
        private long? _providerId = deployment.ProviderDeploymentId;

        public async Task CreateAsync()
        {
            if (repository is null || _providerId is not null)
            {
                return;
            }

            _providerId = await repository.CreateDeploymentAsync(deployment.Sha!, deployment.EnvironmentName,
                $"{deployment.ReleaseName} requested by {deployment.RequestedBy}", context.CancellationToken);
            if (_providerId is { } created)
            {
                await store.RecordProviderDeploymentAsync(deployment.Id, created, context.CancellationToken);
                await context.LogAsync($"{repository.Provider} deployment {created} of {repository.FullName}@{deployment.Sha} to {deployment.EnvironmentName}");
            }

            await StatusAsync(DeploymentStates.Queued, $"{deployment.ReleaseName} queued for {deployment.EnvironmentName}");
        }

        public Task StatusAsync(string state, string description) =>
            repository is null
                ? Task.CompletedTask
                : repository.SetDeploymentStatusAsync(_providerId, deployment.Sha!, deployment.EnvironmentName, state, description, context.CancellationToken);

        /// <summary>The outcome: the deployment status, the PR comment, and the run's own ending (a deployment that did not succeed fails its run).</summary>
        public async Task EndAsync(Deployment ended)
        {
            var summary = ended.Status switch
            {
                DeploymentStatuses.Succeeded => $"deployed {ended.ReleaseName} to {ended.EnvironmentName}",
                _ => $"{ended.Status}: {ended.Error}",
            };
            await context.LogAsync(summary);
            await StatusAsync(ended.Status switch
            {
                DeploymentStatuses.Succeeded => DeploymentStates.Success,
                DeploymentStatuses.Cancelled => DeploymentStates.Error,
                _ => DeploymentStates.Failure,
            }, summary);
            if (repository is not null && ended.PullRequest is { } pullRequest)
            {
                await repository.CommentAsync(pullRequest, string.Create(CultureInfo.InvariantCulture,
                    $"`/sfp deploy {ended.EnvironmentName}` by @{ended.RequestedBy}: {summary}."), context.CancellationToken);
            }

            if (ended.Status != DeploymentStatuses.Succeeded)
            {
                throw new NonRetryableStepException($"deployment of {ended.ReleaseName} to {ended.EnvironmentName} {summary}");
            }
        }
    }
}
