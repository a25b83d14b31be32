namespace SfpPlatform.Contracts.Schedules;

/// <summary>Who keeps a schedule: the platform (its own sweeps, registered by the Workers) or a user (through the Api).</summary>
public static class ScheduleOwners
{
    /// <summary>A platform sweep's schedule: owners may pause and resume it, not delete it (the Workers would put it back).</summary>
    public const string Platform = "platform";

    public const string User = "user";
}
