namespace SfpPlatform.Contracts.Health;

/// <summary>
/// One Workers process as its heartbeat row says: who and where it is, its engine and version, its slots, and how long
/// it has been silent (<see cref="Alive"/> while that is within the heartbeat's tolerance). <see cref="Problem"/> is
/// why its own readiness check fails (a stalled engine loop, the engine unreachable), null while it passes.
/// </summary>
public sealed record WorkerStatus(
    Guid Id, string Name, string Host, int ProcessId, string Engine, string Version,
    DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, double SilentSeconds, bool Alive,
    int SlotsBusy, int SlotsTotal, string? Problem);
