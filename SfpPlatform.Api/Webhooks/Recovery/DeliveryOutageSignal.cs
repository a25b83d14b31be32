namespace SfpPlatform.Api.Webhooks.Recovery;

/// <summary>
/// Remembers that the Api refused GitHub deliveries with 503 (the database was down, the intake failed), so a recovery
/// pass runs as soon as the database answers again instead of at the next scheduled one. It starts armed: while the
/// Api itself was down or restarting, the edge's maintenance page answered 503 for it.
/// </summary>
public sealed class DeliveryOutageSignal
{
    private int _armed = 1;

    public bool Armed => Volatile.Read(ref _armed) == 1;

    /// <summary>A delivery was refused with 503.</summary>
    public void Arm() => Volatile.Write(ref _armed, 1);

    /// <summary>Takes the signal before a pass: a 503 answered during the pass arms it again.</summary>
    public bool TryDisarm() => Interlocked.Exchange(ref _armed, 0) == 1;
}
