using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// The <c>/sfp</c> commands about environments, answered by the command workflow once the commenter's permission is
/// known: <c>deploy &lt;env&gt;</c> (on a merged pull request: promotes the previous environment's release),
/// <c>approve</c> and <c>reject [reason]</c> (the pull request's deployment waiting for approval, or
/// <c>approve &lt;env&gt;</c>'s), <c>unlock &lt;env&gt;</c> (admin or maintain permission).
/// </summary>
public static class DeploymentCommands
{
    public static readonly IReadOnlyList<string> Names = ["deploy", "approve", "reject", "unlock"];

    private static readonly string[] Owners = ["admin", "maintain"];

    /// <summary>Runs the command; returns the reply.</summary>
    public static async Task<string> AnswerAsync(StepContext context, RunInput input, RepositoryConnection repository, string login, string permission, SfpCommand command)
    {
        var ct = context.CancellationToken;
        var store = context.Services.GetRequiredService<DeploymentStore>();
        if (input.ProjectKey is not { } project)
        {
            return $"@{login} `/sfp {command.Name}` needs the repository to belong to a project (its webhook registered for one).";
        }

        var number = input.PullRequest.Number;
        try
        {
            switch (command.Name)
            {
                case "deploy":
                {
                    var environment = await EnvironmentAsync(store, project, command, ct);
                    if (!await repository.PullRequestMergedAsync(number, ct))
                    {
                        return $"@{login} `/sfp deploy` promotes what a merged pull request shipped: #{number} is not merged. Nothing was started.";
                    }

                    var release = await store.PromotionSourceAsync(environment, ct);
                    DeploymentStore.CheckAllowed(environment, release);
                    var origin = JsonNode.Parse(context.Input.GetRawText())!.AsObject();
                    var deployment = await store.RequestAsync(environment, release, login, "comment", origin,
                        context.Services.GetRequiredService<IWorkflowEngine>(), ct);
                    return $"@{login} deploying {release.Name} to {environment.Name} (deployment {deployment.Id}"
                        + (environment.RequiredApprovals > 0 ? $"; it needs {environment.RequiredApprovals} approval(s): `/sfp approve`" : "") + ").";
                }

                case "approve":
                case "reject":
                {
                    var approve = command.Name == "approve";
                    var waiting = await WaitingAsync(store, project, repository, number, approve ? command.Args.FirstOrDefault() : null, ct);
                    if (waiting is null)
                    {
                        return $"@{login} no deployment {(approve && command.Args.Count > 0 ? $"to {command.Args[0]} " : "")}of this pull request waits for approval.";
                    }

                    var environment = await store.Environments.SingleAsync(e => e.Id == waiting.EnvironmentId, ct);
                    if (environment.Approvers.Length == 0 && !Owners.Contains(permission, StringComparer.OrdinalIgnoreCase) && permission != "write")
                    {
                        return $"@{login} you cannot decide deployments to {environment.Name}.";
                    }

                    var reason = approve ? null : string.Join(' ', command.Args);
                    var result = await store.DecideAsync(waiting.Id, login, [permission], approve, string.IsNullOrWhiteSpace(reason) ? null : reason, ct);
                    return result.Accepted ? $"@{login} {result.Message}." : $"@{login} {command.Name} refused: {result.Message}.";
                }

                case "unlock":
                {
                    var environment = await EnvironmentAsync(store, project, command, ct);
                    if (!Owners.Contains(permission, StringComparer.OrdinalIgnoreCase))
                    {
                        return $"@{login} `/sfp unlock` needs admin or maintain permission on {repository.FullName}; you have {permission}.";
                    }

                    var holder = await store.UnlockAsync(environment, login, ct);
                    return holder is null
                        ? $"@{login} nothing holds the lock of {environment.Name}."
                        : $"@{login} unlocked {environment.Name}: the deployment of {holder.ReleaseName} requested by {holder.RequestedBy} let go of it.";
                }

                default:
                    throw new InvalidOperationException($"'{command.Name}' is not a deployment command.");
            }
        }
        catch (DeploymentRequestException refused)
        {
            return $"@{login} `/sfp {command.Name}`: {refused.Message}";
        }
    }

    private static async Task<DeploymentEnvironment> EnvironmentAsync(DeploymentStore store, string project, SfpCommand command, CancellationToken ct)
    {
        if (command.Args.FirstOrDefault() is not { } name)
        {
            throw new DeploymentRequestException($"name the environment: `/sfp {command.Name} <environment>`.");
        }

        return await store.EnvironmentAsync(project, name, ct)
            ?? throw new DeploymentRequestException($"project '{project}' has no environment '{name}' (it has {string.Join(", ", await store.Environments.Where(e => e.ProjectKey == project).Select(e => e.Name).ToListAsync(ct))}).");
    }

    /// <summary>The deployment waiting for approval: the named environment's; else the pull request's own, else the project's (oldest first).</summary>
    private static async Task<Deployment?> WaitingAsync(DeploymentStore store, string project, RepositoryConnection repository, long number, string? environment, CancellationToken ct)
    {
        var waiting = store.Deployments.Where(d => d.ProjectKey == project && d.Status == DeploymentStatuses.AwaitingApproval);
        if (environment is not null)
        {
            return await waiting.Where(d => d.EnvironmentName == environment).OrderBy(d => d.Sequence).FirstOrDefaultAsync(ct);
        }

        // The pull request's own deployment first; else the project's oldest waiting one (e.g. requested through the Api).
        return await waiting.Where(d => d.Repository == repository.FullName && d.PullRequest == number).OrderBy(d => d.Sequence).FirstOrDefaultAsync(ct)
            ?? await waiting.OrderBy(d => d.Sequence).FirstOrDefaultAsync(ct);
    }
}
