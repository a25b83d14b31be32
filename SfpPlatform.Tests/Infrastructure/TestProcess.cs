using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;

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

    private const int TailLines = 40;

    private static readonly ConditionalWeakTable<Process, ConcurrentQueue<string>> Tails = [];

    /// <summary>
    /// Starts in the background; its output is read so it never blocks on a full pipe, and only the last lines of it
    /// are kept (<see cref="OutputTail"/>), to say why it exited.
    /// </summary>
    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var process = Process.Start(StartInfo(fileName, arguments, environment))!;
        var tail = Tails.GetValue(process, _ => new ConcurrentQueue<string>());
        DataReceivedEventHandler keep = (sender, e) =>
        {
            if (e.Data is not null)
            {
                tail.Enqueue(e.Data);
                while (tail.Count > TailLines && tail.TryDequeue(out _))
                {
                }
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The last lines (standard output and error together) of a process <see cref="Start"/> started.</summary>
    public static string OutputTail(Process process)
    {
        if (process.HasExited)
        {
            // The exit can be seen before the last lines are read: wait for the end of both streams.
            process.WaitForExit();
        }

        return Tails.TryGetValue(process, out var tail) ? string.Join('\n', tail) : "";
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
