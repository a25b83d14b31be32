using System.Diagnostics;
using SfpPlatform.Workers.Processes;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Workers.Processes;

/// <summary>The one process runner workflow steps use: streamed, masked output; cancellation kills the whole tree.</summary>
public sealed class ProcessRunnerTests
{
    [Fact]
    public async Task Output_IsStreamedLineByLine_WithSecretsMasked()
    {
        var lines = new List<string>();
        var result = await new ProcessRunner().RunAsync(
            new ProcessRequest("/bin/sh", ["-c", "echo cloning https://x-access-token:ghs_S3CRET@github.com/o/r.git; echo warn $TOKEN >&2; exit 3"])
            {
                Environment = new Dictionary<string, string?> { ["TOKEN"] = "ghs_S3CRET" },
                Secrets = ["ghs_S3CRET"],
            },
            line => { lines.Add(line); return Task.CompletedTask; }, Cancellation);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains("cloning https://x-access-token:***@github.com/o/r.git", lines);
        Assert.Contains("warn ***", lines);
        Assert.DoesNotContain(lines, l => l.Contains("S3CRET", StringComparison.Ordinal));
        Assert.Equal(lines, result.Tail);
    }

    [Fact]
    public async Task Cancellation_KillsTheWholeProcessTree()
    {
        using var workspace = RunWorkspace.Create(Guid.NewGuid());
        var pidFile = Path.Combine(workspace.Path, "child.pid");
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var run = new ProcessRunner().RunAsync(
            new ProcessRequest("/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; echo started; wait"]) { WorkingDirectory = workspace.Path },
            line => { if (line == "started") { started.TrySetResult(); } return Task.CompletedTask; }, cancel.Token);

        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancellation);
        var child = int.Parse(await File.ReadAllTextAsync(pidFile, Cancellation), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(IsAlive(child));
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (IsAlive(child) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Cancellation);
        }

        Assert.False(IsAlive(child), "the grandchild (sleep) was left running");
    }

    [Fact]
    public void Workspace_IsDeletedAfterwards()
    {
        string path;
        using (var workspace = RunWorkspace.Create(Guid.NewGuid()))
        {
            path = workspace.Path;
            File.WriteAllText(Path.Combine(path, "file"), "x");
            Directory.CreateDirectory(Path.Combine(path, "sub"));
        }

        Assert.False(Directory.Exists(path));
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
