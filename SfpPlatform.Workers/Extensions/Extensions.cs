using SfpPlatform.Core.Data;
using SfpPlatform.Core.Topology;

namespace SfpPlatform.Workers.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Readiness includes Postgres: a worker that cannot reach the run queue is not ready.
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database);
    }
}
