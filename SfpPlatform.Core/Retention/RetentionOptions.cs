namespace SfpPlatform.Core.Retention;

/// <summary>
/// How long the platform keeps what it records (<c>Retention</c>). A purge deletes what is older; nothing still needed
/// is deleted (a run that is not finished, a delivery a kept run points to, a run a kept replay points to).
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Finished workflow runs, with their step attempts and log lines.</summary>
    public TimeSpan Runs { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Stored webhook deliveries (headers and body) no kept run points to.</summary>
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The audit trail and the record of credential decryptions (SOX-style audits ask for a year or more).</summary>
    public TimeSpan Audit { get; set; } = TimeSpan.FromDays(400);
}
