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

    /// <summary>
    /// Delivery bodies: emptied after this (the bulk of what is stored); the delivery's row (id, event, repository,
    /// headers, routing outcome) stays until <see cref="Deliveries"/>, and its run until <see cref="Runs"/>.
    /// </summary>
    public TimeSpan Bodies { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Log lines of finished runs: deleted after this; the run and its step attempts stay until <see cref="Runs"/>.</summary>
    public TimeSpan Logs { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Stored webhook deliveries (headers and body) no kept run points to.</summary>
    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The audit trail and the record of credential decryptions (SOX-style audits ask for a year or more).</summary>
    public TimeSpan Audit { get; set; } = TimeSpan.FromDays(400);

    /// <summary>Rows deleted per statement (a run counts with its step attempts and log lines, a delivery with its body).</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// The pause between two batches: the intake's commits and the workers' writes share the disk and the cores with
    /// the purge; a pause lets them through between batches (see bench/README.md, "Intake during a retention purge").
    /// </summary>
    public TimeSpan BatchPause { get; set; } = TimeSpan.Zero;
}
