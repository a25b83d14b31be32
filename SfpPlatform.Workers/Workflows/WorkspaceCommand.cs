using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;

namespace SfpPlatform.Workers.Workflows;

/// <summary>How the workflows run a configured command (the sfp CLI, a build step) in a run's workspace.</summary>
public static class WorkspaceCommand
{
    /// <summary>
    /// Runs <paramref name="command"/> in <paramref name="workspace"/> with npm resolving through the platform's
    /// Verdaccio (the reader account, in the workspace's own <c>.npmrc</c>), its output streamed to the run's log with
    /// <paramref name="secrets"/> and the registry's credentials masked; returns the result and its last 20 lines.
    /// </summary>
    public static async Task<(ProcessResult Result, string Tail)> RunAsync(
        StepContext context, string workspace, string command, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> secrets)
    {
        var registry = context.Services.GetRequiredService<PackageRegistry>();
        await registry.WriteNpmrcAsync(workspace, PackageRegistryRole.Reader, context.CancellationToken);
        var result = await context.Services.GetRequiredService<ProcessRunner>().RunAsync(
            new ProcessRequest(command, arguments)
            {
                WorkingDirectory = workspace,
                Environment = registry.Environment(workspace, environment),
                Secrets = [.. secrets, .. registry.Secrets],
            },
            context.LogAsync, context.CancellationToken);
        return (result, string.Join('\n', result.Tail.TakeLast(20)));
    }
}
