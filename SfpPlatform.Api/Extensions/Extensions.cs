using SfpPlatform.Core.Data;
using SfpPlatform.Core.Topology;

namespace SfpPlatform.Api.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();

        // Connection string "sfp"; adds the Postgres readiness check, retries and tracing.
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database);
    }
}
