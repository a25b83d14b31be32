using System.Diagnostics;

namespace SfpPlatform.Workers.Processes;

/// <summary>A command for <see cref="ProcessRunner"/>: program, arguments (never through a shell), directory, environment.</summary>
public sealed record ProcessRequest(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Values replaced by <c>***</c> in every streamed line (tokens, passwords, auth URLs).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}

/// <summary>How a process ended, with the last lines of its output (masked).</summary>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> Tail)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs the processes workflow steps need: output (stdout and stderr, in arrival order) streamed line by line with
/// secrets masked; cancellation — a step timeout, a cancelled run, shutdown — kills the whole process tree.
/// </summary>
public sealed class ProcessRunner
{
    public const int TailLines = 50;
    public const string Mask = "***";

    public async Task<ProcessResult> RunAsync(ProcessRequest request, Func<string, Task> onLine, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(request.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = request.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in request.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {request.FileName}.");
        process.StandardInput.Close();
        var secrets = request.Secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length).ToArray();
        var tail = new Queue<string>();
        var gate = new SemaphoreSlim(1, 1);

        async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
            {
                var masked = MaskSecrets(line, secrets);
                await gate.WaitAsync(CancellationToken.None);
                try
                {
                    tail.Enqueue(masked);
                    if (tail.Count > TailLines)
                    {
                        tail.Dequeue();
                    }

                    await onLine(masked);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
            await pumps.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await pumps;
        return new ProcessResult(process.ExitCode, [.. tail]);
    }

    public static string MaskSecrets(string line, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length > 0)
            {
                line = line.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return line;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }
}

/// <summary>A directory of its own for one run attempt, deleted afterwards whatever happened.</summary>
public sealed class RunWorkspace : IDisposable
{
    private RunWorkspace(string path) => Path = path;

    public string Path { get; }

    public static RunWorkspace Create(Guid runId, string? root = null)
    {
        var directory = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), "sfp-runs", $"{runId:n}-{Guid.NewGuid():n}"[..45]);
        Directory.CreateDirectory(directory);
        return new RunWorkspace(directory);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A process still holding a file: the temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
