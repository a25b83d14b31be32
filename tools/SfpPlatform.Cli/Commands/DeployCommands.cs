using System.CommandLine;
using SfpPlatform.Cli.Configuration;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Cli.Commands;

/// <summary><c>deploy render [--check] [--output DIR]</c>: <c>deploy/</c> rendered from the platform's description. Local.</summary>
public static class DeployCommands
{
    public static Command Create(CommandContext context)
    {
        var check = new Option<bool>("--check") { Description = "Writes nothing: fails when the folder differs from what this version renders (stale, missing or extra files)." };
        var output = new Option<DirectoryInfo?>("--output") { Description = "The folder (default: deploy/ of the repository around the working folder)." };
        var render = new Command("render", "Renders deploy/ (compose, Caddyfiles, .env.example, scripts) from the platform's description.")
        {
            check,
            output,
        };
        render.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(output)?.FullName ?? ComposeFile.DeployDirectory;
            return parse.GetValue(check) ? await CheckAsync(context, directory) : await WriteAsync(context, directory);
        });

        return new Command("deploy", "The production deployment files.") { render };
    }

    private static async Task<int> WriteAsync(CommandContext context, string directory)
    {
        foreach (var file in DeployManifest.Write(PlatformServices.Deployment, directory))
        {
            await context.Output.WriteLineAsync(Path.Combine(directory, file));
        }

        return 0;
    }

    private static async Task<int> CheckAsync(CommandContext context, string directory)
    {
        var rendered = DeployManifest.Render(PlatformServices.Deployment);
        var differences = new List<string>();
        foreach (var (path, content) in rendered)
        {
            var file = Path.Combine(directory, path);
            if (!File.Exists(file))
            {
                differences.Add($"missing: {path}");
            }
            else if (await File.ReadAllTextAsync(file) != content)
            {
                differences.Add($"stale: {path}");
            }
        }

        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
            {
                var path = Path.GetRelativePath(directory, file).Replace('\\', '/');
                if (!rendered.ContainsKey(path) && path != ".env")
                {
                    differences.Add($"extra: {path}");
                }
            }
        }

        foreach (var difference in differences)
        {
            await context.Output.WriteLineAsync(difference);
        }

        if (differences.Count > 0)
        {
            throw new CommandException($"{directory} is stale: {differences.Count} file(s) differ from the description; run '{CliApp.Name} deploy render'.");
        }

        await context.Output.WriteLineAsync($"{directory} is current ({rendered.Count} files).");
        return 0;
    }
}
