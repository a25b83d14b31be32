using System.Diagnostics;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Child processes for tests: run one to completion, or start one in the background with its output drained.</summary>
public static class TestProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs to completion, reading standard output and error together (no pipe can fill and stall it).</summary>
    public static async Task<Result> RunAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null,
        CancellationToken cancellationToken = default)
    {
        using var process = Process.Start(StartInfo(fileName, arguments, environment))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Starts in the background; its output is read and dropped so it never blocks on a full pipe.</summary>
    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = Process.Start(StartInfo(fileName, arguments, environment))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
