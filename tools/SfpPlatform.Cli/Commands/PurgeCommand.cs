using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Retention;

namespace SfpPlatform.Cli.Commands;

/// <summary><c>purge [--dry-run]</c>: deletes what the retention settings no longer keep. Database directly (bulk, batched).</summary>
public static class PurgeCommand
{
    public static Command Create(CommandContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Counts what would be deleted; deletes nothing." };
        var connection = CredentialCommands.DatabaseOption();
        var purge = new Command("purge",
            "Deletes finished runs (with their steps and logs), deliveries and audit entries older than the retention settings "
            + "(Retention__Runs, Retention__Deliveries, Retention__Audit; defaults 90, 90 and 400 days).")
        {
            dryRun,
            connection,
        };
        purge.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = PlatformDatabase.Services(parse.GetValue(connection));
            var options = PlatformDatabase.Options<RetentionOptions>(services);
            await using var scope = services.CreateAsyncScope();
            await PlatformDatabase.RequireCurrentSchemaAsync(scope.ServiceProvider.GetRequiredService<SfpDbContext>(), cancellationToken);
            var dry = parse.GetValue(dryRun);
            var progress = new LineProgress(context.Error);
            var result = await scope.ServiceProvider.GetRequiredService<RetentionPurge>().PurgeAsync(options, dry, progress, cancellationToken);
            var summary = $"{result.Bodies} delivery body(ies) emptied, {result.LogLines} log line(s), {result.Runs} run(s), {result.Deliveries} delivery(ies), {result.AuditEntries + result.CredentialAudit} audit entry(ies)";
            if (dry)
            {
                await context.Output.WriteLineAsync($"Would delete {summary} (dry run).");
                return 0;
            }

            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActor.Operator("purge"), AuditActions.Purged, "retention",
                detail: summary, cancellationToken: cancellationToken);
            await context.Output.WriteLineAsync($"Deleted {summary}.");
            return 0;
        });
        return purge;
    }
}

/// <summary>Progress written at once, in order (<see cref="Progress{T}"/> posts to the thread pool).</summary>
internal sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
