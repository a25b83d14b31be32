using System.Text;
using System.Text.Json;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.Workflows;

/// <summary>
/// Answers a <c>/sfp &lt;command&gt;</c> pull-request comment: the commenter must have write, maintain or admin
/// permission on the repository (else a clear refusal); an unknown command or <c>help</c> gets the help reply; a known
/// command is dispatched as its workflow run, and the reply says so.
/// </summary>
public static class CommandWorkflow
{
    public const string Caller = "workflow:command";

    private static readonly string[] Allowed = ["admin", "maintain", "write"];

    /// <summary>The workflow each command starts.</summary>
    public static readonly IReadOnlyDictionary<string, string> Dispatch = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["validate"] = WorkflowNames.Validate,
        ["review-env"] = "review-env",
        ["extend"] = "review-env-extend",
        ["release-env"] = "review-env-release",
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
        var input = context.Input.Deserialize<RunInput>(RunInput.JsonOptions)
            ?? throw new NonRetryableStepException("The run has no input.");
        var e = input.Event;
        if (e.Provider != WebhookProviders.GitHub)
        {
            throw new NonRetryableStepException($"Commands from {e.Provider} are not answered yet.");
        }

        if (e is not { Repository.FullName: { } fullName, PullRequest.Number: var number, Sender.Login: { } login, Command: { } command }
            || fullName.Split('/') is not [var owner, var repo])
        {
            throw new NonRetryableStepException("The command event names no repository, pull request, commenter or command.");
        }

        var github = await context.Services.GetRequiredService<GitHubClients>()
            .ForRepositoryAsync(owner, repo, input.ProjectKey, Caller, context.CancellationToken);
        var permission = (await github.ExecuteAsync(c => c.Repository.Collaborator.ReviewPermission(owner, repo, login), context.CancellationToken)).Permission;
        await context.LogAsync($"@{login} has {permission} permission on {fullName}");

        string reply;
        if (!Allowed.Contains(permission, StringComparer.OrdinalIgnoreCase))
        {
            reply = $"@{login} `/sfp {command.Name}` needs write, maintain or admin permission on {fullName}; you have {permission}. Nothing was started.";
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
                    ConcurrencyKey = $"{e.Provider}:{fullName}:pr:{number}",
                }, context.CancellationToken);
            reply = $"@{login} `/sfp {command.Name}` started ({workflow}{(runId is null ? "" : $", run {runId}")}).";
        }

        await github.ExecuteAsync(c => c.Issue.Comment.Create(owner, repo, (int)number, reply), context.CancellationToken);
        await context.LogAsync($"replied on {fullName}#{number}");
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
        text.AppendLine("- `/sfp help` — this list");
        return text.ToString();
    }
}
