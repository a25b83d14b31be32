using System.Text;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// Answers a <c>/sfp &lt;command&gt;</c> pull-request comment (GitHub or Azure DevOps): the commenter must be allowed to
/// change the repository (else a clear refusal); an unknown command or <c>help</c> gets the help reply; a known
/// command is dispatched as its workflow run, and the reply says so.
/// </summary>
public static class CommandWorkflow
{
    public const string Caller = "workflow:command";

    /// <summary>The workflow each command starts.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dispatch = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["validate"] = WorkflowNames.Validate,
        ["review-env"] = WorkflowNames.ReviewEnvironment,
        ["extend"] = WorkflowNames.ReviewEnvironmentExtend,
        ["release-env"] = WorkflowNames.ReviewEnvironmentRelease,
    };

    public static WorkflowDefinition Definition { get; } = new(WorkflowNames.Command,
    [
        new StepDefinition("answer", AnswerAsync)
        {
            Retry = new RetryPolicy(4, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30)),
            Timeout = TimeSpan.FromMinutes(2),
        },
    ]);

    private static async Task AnswerAsync(StepContext context)
    {
        var input = RunInput.From(context);
        var e = input.Event;
        if (e is not { Sender.Login: { } login, Command: { } command })
        {
            throw new NonRetryableStepException("The command event names no commenter or command.");
        }

        var number = input.PullRequest.Number;
        var repository = await RepositoryConnection.ConnectAsync(input, Caller, context.Services, context.CancellationToken);
        var (allowed, permission) = await repository.CommenterPermissionAsync(login, context.CancellationToken);
        await context.LogAsync($"@{login} has {permission} permission on {repository.FullName}");

        string reply;
        if (!allowed)
        {
            reply = $"@{login} `/sfp {command.Name}` needs write, maintain or admin permission on {repository.FullName}; you have {permission}. Nothing was started.";
        }
        else if (DeploymentCommands.Names.Contains(command.Name))
        {
            reply = await DeploymentCommands.AnswerAsync(context, input, repository, login, permission, command);
        }
        else if (!command.Known || command.Name == "help" || !Dispatch.TryGetValue(command.Name, out var workflow))
        {
            reply = Help(login, command);
        }
        else
        {
            var runId = await context.Services.GetRequiredService<IWorkflowEngine>().TriggerAsync(
                new WorkflowTrigger(workflow, context.Input)
                {
                    ProjectKey = input.ProjectKey,
                    DeliveryId = input.Delivery?.Id,
                    IdempotencyKey = $"command:{context.RunId}",
                    // A validation supersedes the pull request's earlier validation (the intake's key for it);
                    // review-environment commands stand alone.
                    ConcurrencyKey = workflow == WorkflowNames.Validate ? ConcurrencyKeys.PullRequest(e.Provider, repository.FullName, number, workflow) : null,
                }, context.CancellationToken);
            reply = $"@{login} `/sfp {command.Name}` started ({workflow}{(runId is null ? "" : $", run {runId}")}).";
        }

        await repository.CommentAsync(number, reply, context.CancellationToken);
        await context.LogAsync($"replied on {repository.FullName}#{number}");
        // Recorded after the reply: a retry of a failed reply would otherwise record the command twice.
        await context.Services.GetRequiredService<AuditLog>().RecordAsync(
            new AuditActor($"{e.Provider}:{login}", "commenter"), AuditActions.CommandRun, $"pull-request:{repository.FullName}#{number}",
            allowed ? AuditOutcomes.Succeeded : AuditOutcomes.Refused, $"/sfp {command.Name} ({permission} permission)", context.CancellationToken);
    }

    private static string Help(string login, SfpCommand command)
    {
        var text = new StringBuilder();
        text.AppendLine(command.Known || command.Name == "help"
            ? $"@{login} these are the `/sfp` commands:"
            : $"@{login} `{command.Name}` is not an `/sfp` command. These are:");
        text.AppendLine();
        text.AppendLine("- `/sfp validate` — validate this pull request again");
        text.AppendLine("- `/sfp review-env` — provision a review environment (a 24-hour lease from the pool)");
        text.AppendLine("- `/sfp extend` — extend the review environment's lease");
        text.AppendLine("- `/sfp release-env` — release the review environment");
        text.AppendLine("- `/sfp deploy <environment>` — on a merged pull request: promote the release of the previous environment to it");
        text.AppendLine("- `/sfp approve [environment]` — approve the deployment waiting for approval (not your own)");
        text.AppendLine("- `/sfp reject [reason]` — reject the deployment waiting for approval: it ends without touching the org");
        text.AppendLine("- `/sfp unlock <environment>` — release the environment's lock (admin or maintain)");
        text.AppendLine("- `/sfp help` — this list");
        return text.ToString();
    }
}
