using System.Diagnostics;

namespace SfpPlatform.AppHost.Runtime;

/// <summary>How the infrastructure (Postgres, Verdaccio, the workflow engine, auth) runs.</summary>
public enum RuntimeKind
{
    /// <summary>Containers: Postgres, Verdaccio, Hatchet and GoTrue images.</summary>
    Containers,

    /// <summary>Local processes: the machine's PostgreSQL binaries, Verdaccio on Node, the embedded engine.</summary>
    Processes,
}

internal static class RuntimeSelection
{
    /// <summary>
    /// <c>Platform:Runtime</c> = <c>containers</c>, <c>processes</c> or <c>auto</c> (the default): containers
    /// when a container runtime answers, local processes otherwise.
    /// </summary>
    public static RuntimeKind Choose(IConfiguration configuration)
    {
        var configured = configuration["Platform:Runtime"];
        return configured?.Trim().ToLowerInvariant() switch
        {
            null or "" or "auto" => ContainerRuntimeAnswers(configuration) ? RuntimeKind.Containers : RuntimeKind.Processes,
            "containers" => RuntimeKind.Containers,
            "processes" => RuntimeKind.Processes,
            _ => throw new PrerequisiteMissingException(
                $"Platform:Runtime must be 'auto', 'containers' or 'processes', not '{configured}'."),
        };
    }

    private static bool ContainerRuntimeAnswers(IConfiguration configuration)
    {
        // Aspire itself uses ASPIRE_CONTAINER_RUNTIME (docker by default) to pick the client.
        var client = configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime ? runtime : "docker";
        if (HostCommands.Find(client) is not { } path)
        {
            return false;
        }

        var result = HostCommands.Run(path, ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(5));
        return result.ExitCode == 0 && result.Output.Trim().Length > 0;
    }
}

/// <summary>Runs short host commands during model building (runtime detection, initdb, chown).</summary>
internal static class HostCommands
{
    public readonly record struct Result(int ExitCode, string Output, string Error);

    public static string? Find(string command)
    {
        if (Path.IsPathRooted(command))
        {
            return File.Exists(command) ? command : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return new Result(-1, "", $"{fileName} did not finish within {timeout.TotalSeconds:0} s");
        }

        return new Result(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>Runs a command that must succeed; a failure stops start-up with its output.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var args = arguments.ToList();
        var result = Run(fileName, args, timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', args)}' failed ({result.ExitCode}): {result.Error.Trim()} {result.Output.Trim()}");
        }

        return result.Output;
    }
}
