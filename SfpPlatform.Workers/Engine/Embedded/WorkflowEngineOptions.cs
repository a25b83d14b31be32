namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary>Settings of the embedded engine's workers (<c>Workflows</c> section).</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>
    /// Concurrent runs in this process (executor loops). An idle loop costs nothing but its place in a queue, and a busy
    /// one mostly waits (for the database, the sfp CLI, a provider), so the default is many: with 4, a worker drained
    /// ~175 trivial runs/s against ~430 with 32 on the same machine (bench/README.md, issue 18). Lower it where the
    /// workflows' own processes (the sfp CLI) must not run 32 at a time on one host.
    /// </summary>
    public int Loops { get; set; } = 32;

    /// <summary>How long a claim holds without a heartbeat; a vanished worker's run is taken over after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Names this process in leases and step records (default: host name and process id).</summary>
    public string? WorkerName { get; set; }

    /// <summary><see cref="WorkerName"/>, or the host name and process id.</summary>
    public string EffectiveWorkerName => WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}";
}
