namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary>Settings of the embedded engine's workers (<c>Workflows</c> section).</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>
    /// Concurrent runs in this process (executor loops). An idle loop costs nothing but its place in a queue, and a busy
    /// one mostly waits (for the database, the sfp CLI, a provider). Each busy loop of a real workflow runs an sfp CLI
    /// process, so the default is modest; for many short runs raise it: with 4, a worker drained ~175 trivial runs/s
    /// against ~430 with 32 on the same machine (bench/README.md, issue 18).
    /// </summary>
    public int Loops { get; set; } = 8;

    /// <summary>How long a claim holds without a heartbeat; a vanished worker's run is taken over after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Names this process in leases and step records (default: host name and process id).</summary>
    public string? WorkerName { get; set; }

    /// <summary><see cref="WorkerName"/>, or the host name and process id.</summary>
    public string EffectiveWorkerName => WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}";
}
