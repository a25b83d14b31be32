using System.CommandLine;
using SfpPlatform.Cli.Commands;

namespace SfpPlatform.Cli;

/// <summary>
/// The command tree and how a command ends: 0 on success; 1 with one line on stderr (<c>sfp-platform: reason</c>) when it
/// fails; 2 when the command line itself is wrong. Every command has <c>--help</c>.
/// </summary>
public static class CliApp
{
    public const string Name = "sfp-platform";

    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var context = new CommandContext(output, error);
        var root = new RootCommand("The SfpPlatform operator's command line: check configuration, render deploy/, rotate the credential key, "
            + "replay deliveries, follow and cancel runs, purge by retention.");
        root.Subcommands.Add(ConfigCommands.Create(context));
        root.Subcommands.Add(DeployCommands.Create(context));
        root.Subcommands.Add(CredentialCommands.Create(context));
        root.Subcommands.Add(DeliveryCommands.Create(context));
        root.Subcommands.Add(RunCommands.Create(context));
        root.Subcommands.Add(PurgeCommand.Create(context));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{Name}: {string.Join("; ", parsed.Errors.Select(e => e.Message))} (see {Name} --help)");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (CommandException e)
        {
            await error.WriteLineAsync($"{Name}: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await error.WriteLineAsync($"{Name}: cancelled");
            return 130;
        }
        catch (Exception e) when (e is HttpRequestException or Npgsql.NpgsqlException or IOException or InvalidOperationException or FormatException)
        {
            await error.WriteLineAsync($"{Name}: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
    }
}

/// <summary>Where commands write: the output (results) and the error stream (progress, problems).</summary>
public sealed record CommandContext(TextWriter Output, TextWriter Error);
