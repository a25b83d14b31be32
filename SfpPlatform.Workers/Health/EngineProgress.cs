using System.Collections.Concurrent;
using System.Globalization;

namespace SfpPlatform.Workers.Health;

/// <summary>
/// What the engine's loops report about themselves: each loop registers with how long it may go without progress, then
/// beats whenever it made some (a claim attempt answered, a lease renewed, a heartbeat accepted, a relay batch done). A
/// loop silent for longer is stalled — stuck, dead, or failing against an unreachable engine — and the Workers'
/// readiness check (<see cref="EngineLoopsHealthCheck"/>) fails. The heartbeat row (<see cref="WorkerHeartbeatWriter"/>)
/// reports the process's name, engine and slots from here.
/// </summary>
public sealed class EngineProgress(TimeProvider time, string engine, string workerName, int slotsTotal)
{
    /// <summary>A loop that polls every interval is stalled after this many intervals without progress (never sooner than its floor).</summary>
    public const int StallPolls = 10;

    private readonly ConcurrentDictionary<string, LoopState> _loops = new(StringComparer.Ordinal);
    private Func<int>? _busySlots;

    /// <summary><see cref="Core.Workflows.WorkflowEngines"/>: the engine this process works for.</summary>
    public string Engine { get; } = engine;

    /// <summary>The name the engine knows this process by.</summary>
    public string WorkerName { get; } = workerName;

    public int SlotsTotal { get; } = slotsTotal;

    /// <summary>Slots running a step now: the engine's own count if it gave one, else the loops that last beat busy.</summary>
    public int SlotsBusy => _busySlots?.Invoke() ?? _loops.Values.Count(l => l.Busy);

    /// <summary>The stall limit of a loop polling every <paramref name="pollInterval"/>: <see cref="StallPolls"/> intervals, at least <paramref name="floor"/>.</summary>
    public static TimeSpan StallLimit(TimeSpan pollInterval, TimeSpan floor) =>
        TimeSpan.FromTicks(Math.Max(pollInterval.Ticks * StallPolls, floor.Ticks));

    /// <summary>Starts watching <paramref name="loop"/>: it counts as having progressed now.</summary>
    public void Register(string loop, TimeSpan stallAfter) => _loops[loop] = new LoopState(stallAfter, time.GetTimestamp());

    /// <summary>Stops watching a loop that ended on purpose (not one that failed: that one is a stall).</summary>
    public void Forget(string loop) => _loops.TryRemove(loop, out _);

    /// <summary><paramref name="loop"/> made progress; <paramref name="busy"/> says whether it now holds a run.</summary>
    public void Beat(string loop, bool busy = false)
    {
        if (_loops.TryGetValue(loop, out var state))
        {
            state.Beat(time.GetTimestamp(), busy);
        }
    }

    /// <summary>The engine counts its busy slots itself (an engine that assigns work rather than loops that claim it).</summary>
    public void CountBusySlots(Func<int> busySlots) => _busySlots = busySlots;

    /// <summary>The loops registered now.</summary>
    public int Loops => _loops.Count;

    /// <summary>Each stalled loop, described: which, how long without progress, and its limit.</summary>
    public IReadOnlyList<string> Stalled()
    {
        var now = time.GetTimestamp();
        return [.. _loops
            .Select(l => (Loop: l.Key, l.Value.StallAfter, Silent: time.GetElapsedTime(l.Value.LastBeat, now)))
            .Where(l => l.Silent > l.StallAfter)
            .OrderBy(l => l.Loop, StringComparer.Ordinal)
            .Select(l => string.Create(CultureInfo.InvariantCulture,
                $"{l.Loop} made no progress for {(int)l.Silent.TotalSeconds} s (limit {(int)l.StallAfter.TotalSeconds} s)"))];
    }

    private sealed class LoopState(TimeSpan stallAfter, long lastBeat)
    {
        private long _lastBeat = lastBeat;
        private volatile bool _busy;

        public TimeSpan StallAfter { get; } = stallAfter;

        public long LastBeat => Interlocked.Read(ref _lastBeat);

        public bool Busy => _busy;

        public void Beat(long at, bool busy)
        {
            Interlocked.Exchange(ref _lastBeat, at);
            _busy = busy;
        }
    }
}
