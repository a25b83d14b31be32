namespace SfpPlatform.Contracts.Runs;

/// <summary>What started a run (<see cref="RunSummary.Trigger"/>).</summary>
public static class TriggerKinds
{
    /// <summary>A webhook delivery, routed by the project's rules.</summary>
    public const string Event = "event";

    /// <summary>An owner replayed an earlier run.</summary>
    public const string Replay = "replay";

    /// <summary>A schedule's tick.</summary>
    public const string Schedule = "schedule";

    /// <summary>Anything else: the Api, a command, another run.</summary>
    public const string Manual = "manual";

    public static readonly IReadOnlyList<string> All = [Event, Replay, Schedule, Manual];
}
