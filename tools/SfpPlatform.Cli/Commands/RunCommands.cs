using System.CommandLine;
using System.Net;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Cli.Commands;

/// <summary><c>runs logs &lt;id&gt; [--follow]</c> and <c>runs cancel &lt;id&gt;</c>, through the Api.</summary>
public static class RunCommands
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static Command Create(CommandContext context)
    {
        var runs = new Command("runs", "Workflow runs.");
        runs.Subcommands.Add(Logs(context));
        runs.Subcommands.Add(Cancel(context));
        return runs;
    }

    private static Command Logs(CommandContext context)
    {
        var id = new Argument<Guid>("id") { Description = "The run's id." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keeps printing new lines until the run ends; exits 1 when it did not succeed." };
        var (url, token) = (PlatformApi.UrlOption(), PlatformApi.TokenOption());
        var logs = new Command("logs", "Prints a run's log lines (step, time, line).") { id, follow, url, token };
        logs.SetAction(async (parse, cancellationToken) =>
        {
            using var api = PlatformApi.Create(parse.GetValue(url), parse.GetValue(token));
            var runId = parse.GetValue(id);
            long afterId = 0;
            while (true)
            {
                var log = await api.GetAsync<RunLog>($"sfp/api/runs/{runId}/logs?afterId={afterId}", cancellationToken);
                foreach (var line in log.Lines)
                {
                    await context.Output.WriteLineAsync($"{line.At.UtcDateTime:HH:mm:ss} [{line.Step}] {line.Line}");
                    afterId = line.Id;
                }

                // Lines came: read on at once until caught up.
                if (log.Lines.Count > 0)
                {
                    continue;
                }

                if (!parse.GetValue(follow))
                {
                    return 0;
                }

                if (log.Status is RunStatuses.Succeeded or RunStatuses.Failed or RunStatuses.Cancelled)
                {
                    if (log.Status != RunStatuses.Succeeded)
                    {
                        throw new CommandException($"run {runId} ended {log.Status}.");
                    }

                    await context.Error.WriteLineAsync($"run {runId} succeeded");
                    return 0;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        });
        return logs;
    }

    private static Command Cancel(CommandContext context)
    {
        var id = new Argument<Guid>("id") { Description = "The run's id." };
        var (url, token) = (PlatformApi.UrlOption(), PlatformApi.TokenOption());
        var cancel = new Command("cancel", "Cancels a queued run, or asks a running one to stop (owners).") { id, url, token };
        cancel.SetAction(async (parse, cancellationToken) =>
        {
            using var api = PlatformApi.Create(parse.GetValue(url), parse.GetValue(token));
            var runId = parse.GetValue(id);
            var (status, run, problem) = await api.PostAsync<RunSummary>($"sfp/api/runs/{runId}/cancel",
                [HttpStatusCode.NotFound, HttpStatusCode.Conflict], cancellationToken);
            if (run is null)
            {
                throw new CommandException(status == HttpStatusCode.NotFound ? $"no run has id {runId}." : problem ?? "the run has already ended.");
            }

            await context.Output.WriteLineAsync($"run {run.Id} ({run.Workflow}): {run.Status}{(run.Status == RunStatuses.Cancelled ? "" : ", asked to stop")}");
            return 0;
        });
        return cancel;
    }
}
