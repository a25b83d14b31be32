namespace SfpPlatform.Core.Health;

/// <summary>
/// One Workers process as it last reported itself (<c>worker_heartbeats</c>): written every few seconds by the process
/// (<see cref="WorkerHeartbeatStore"/>), read by the Api's worker health. A row whose heartbeat stopped is a worker
/// that is gone or stuck; rows silent for longer than <see cref="WorkersHealthAssessment.ForgetAfter"/> are purged.
/// </summary>
public sealed class WorkerHeartbeat
{
    /// <summary>This process (a new id each start, so a restarted worker is a new row).</summary>
    public Guid Id { get; set; }

    /// <summary>The name the engine knows the worker by (leases, Hatchet's worker name).</summary>
    public required string Name { get; set; }

    public required string Host { get; set; }

    public int ProcessId { get; set; }

    /// <summary><see cref="Workflows.WorkflowEngines"/>: embedded or hatchet.</summary>
    public required string Engine { get; set; }

    public required string Version { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastHeartbeat { get; set; }

    public int SlotsBusy { get; set; }

    public int SlotsTotal { get; set; }

    /// <summary>Why the process's own readiness check fails (a stalled loop, the engine unreachable); null while it passes.</summary>
    public string? Problem { get; set; }
}
