namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary>Settings of the embedded engine's workers (<c>Workflows</c> section).</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Concurrent worker loops in this process.</summary>
    public int Loops { get; set; } = 4;

    /// <summary>How long a claim holds without a heartbeat; a vanished worker's run is taken over after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Names this process in leases and step records (default: host name and process id).</summary>
    public string? WorkerName { get; set; }

    /// <summary><see cref="WorkerName"/>, or the host name and process id.</summary>
    public string EffectiveWorkerName => WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}";
}
