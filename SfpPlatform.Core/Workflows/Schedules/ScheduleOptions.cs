namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>The Workers' scheduler (<c>Schedules</c>): how often it looks for due schedules, and the platform sweeps' crons.</summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedules";

    /// <summary>How often the scheduler looks for due schedules (a schedule runs at most this late).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A sweep's cron by its name (e.g. <c>Schedules:Sweeps:retention</c> = <c>30 3 * * *</c>), replacing its default.</summary>
    public Dictionary<string, string> Sweeps { get; set; } = new(StringComparer.Ordinal);
}
