using System.Diagnostics;

namespace SfpPlatform.Workers.Processes;

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
