using Microsoft.Extensions.Options;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Core.Retention;

/// <summary>
/// The <c>retention</c> sweep: a <see cref="RetentionPurge"/> with the configured <see cref="RetentionOptions"/>, nightly
/// by default. The purge deletes in batches of <see cref="RetentionOptions.BatchSize"/>, each its own statement, so the
/// intake's inserts never wait behind it.
/// </summary>
public sealed class RetentionSweep(RetentionPurge purge, IOptions<RetentionOptions> options) : IPlatformSweep
{
    public const string SweepName = "retention";

    public string Name => SweepName;

    public string DefaultCron => "17 3 * * *";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var result = await purge.PurgeAsync(options.Value, dryRun: false, progress: null, cancellationToken);
        return $"emptied {result.Bodies} delivery body(ies) older than {options.Value.Bodies.TotalDays:0.#} day(s), deleted {result.LogLines} log line(s) older than "
            + $"{options.Value.Logs.TotalDays:0.#} day(s); purged {result.Runs} run(s) older than {options.Value.Runs.TotalDays:0.#} day(s), {result.Deliveries} delivery(ies) older than "
            + $"{options.Value.Deliveries.TotalDays:0.#} day(s), {result.AuditEntries + result.CredentialAudit} audit record(s) older than {options.Value.Audit.TotalDays:0.#} day(s)";
    }
}
