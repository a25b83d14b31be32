using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SfpPlatform.Core.Data;

/// <summary>Applies pending EF Core migrations (creating the database if needed) under EF's migration lock.</summary>
public static partial class DatabaseMigrator
{
    private static readonly ActivitySource ActivitySource = new("SfpPlatform");

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        using var activity = ActivitySource.StartActivity("Migrate database");
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SfpDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        LogMigrated(logger, pending.Count, pending.Count == 0 ? "none" : string.Join(", ", pending));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current; applied {Count} migration(s): {Migrations}")]
    private static partial void LogMigrated(ILogger logger, int count, string migrations);
}
