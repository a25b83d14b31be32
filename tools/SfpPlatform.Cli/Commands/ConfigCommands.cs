using System.CommandLine;
using SfpPlatform.Cli.Configuration;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Cli.Commands;

/// <summary>
/// <c>config check --env-file F [--service S]</c>: every platform service's settings from an environment file, through
/// the services' own binding and validators (the same the deployment tests run), each problem named. Local: it needs
/// nothing running.
/// </summary>
public static class ConfigCommands
{
    private static readonly string[] PlatformServiceNames = [ServiceNames.Api, ServiceNames.Workers, ServiceNames.Web];

    public static Command Create(CommandContext context)
    {
        var envFile = new Option<FileInfo>("--env-file")
        {
            Description = "An operator's deploy/.env (the compose variables: each service's environment is rendered from it as compose would), "
                + "or a service's own environment (Section__Key=value lines; name the service with --service).",
            Required = true,
        };
        var service = new Option<string?>("--service") { Description = "Check only this service: api, workers or web." };
        service.AcceptOnlyFromAmong(PlatformServiceNames);

        var check = new Command("check", "Validates every service's options from an environment file, naming each problem; exit 1 when there is any.")
        {
            envFile,
            service,
        };
        check.SetAction((parse, cancellationToken) => CheckAsync(context, parse.GetValue(envFile)!, parse.GetValue(service)));

        return new Command("config", "The platform's configuration.") { check };
    }

    private static async Task<int> CheckAsync(CommandContext context, FileInfo file, string? only)
    {
        if (!file.Exists)
        {
            throw new CommandException($"{file.FullName} does not exist.");
        }

        Dictionary<string, string> values;
        try
        {
            values = ComposeFile.ParseDotEnv(await File.ReadAllTextAsync(file.FullName));
        }
        catch (FormatException e)
        {
            throw new CommandException($"{file.Name}: {e.Message}");
        }

        var problems = Check(values, only);
        foreach (var problem in problems)
        {
            await context.Output.WriteLineAsync(problem);
        }

        if (problems.Count > 0)
        {
            throw new CommandException($"{problems.Count} problem(s) in {file.Name}.");
        }

        await context.Output.WriteLineAsync($"{file.Name}: {(only ?? string.Join(", ", PlatformServiceNames))} configured correctly.");
        return 0;
    }

    /// <summary>The problems of <paramref name="values"/>, as <c>service: problem</c> lines.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<string, string> values, string? only)
    {
        var operatorVariables = PlatformServices.Deployment.ComposeVariables().Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var services = only is null ? PlatformServiceNames : [only];
        var problems = new List<string>();
        if (values.Keys.Any(operatorVariables.Contains))
        {
            // An operator's .env: each service gets the environment compose would give it.
            var compose = ComposeFile.Parse(ComposeRenderer.Render(PlatformServices.Deployment), values);
            foreach (var name in services)
            {
                try
                {
                    problems.AddRange(ServiceSettings.Problems(name, compose.Environment(name), hatchet: true).Select(p => Prefix(name, p)));
                }
                catch (ComposeInterpolationException e)
                {
                    problems.Add($"{name}: {e.Message}");
                }
            }

            return problems;
        }

        if (only is null)
        {
            throw new CommandException("the file holds no deploy/.env variable: for a service's own environment, name the service with --service.");
        }

        var hatchet = values.TryGetValue("Workflows__Engine", out var engine) && engine == WorkflowEngines.Hatchet;
        problems.AddRange(ServiceSettings.Problems(only, values, hatchet).Select(p => Prefix(only, p)));
        return problems;
    }

    private static string Prefix(string service, string problem) =>
        problem.StartsWith(service + ":", StringComparison.Ordinal) ? problem : $"{service}: {problem}";
}
