using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SfpPlatform.Contracts.Health;

namespace SfpPlatform.Api.Apis;

/// <summary>The public health answer: one overall status word, no check names, timings or exceptions.</summary>
public static class PlatformHealthApi
{
    public static IEndpointRouteBuilder MapPlatformHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sfp/api/health", GetHealthAsync)
            .WithName("GetPlatformHealth")
            .WithTags("Health")
            .AllowAnonymous();
        return app;
    }

    internal static async Task<Results<Ok<PlatformHealth>, JsonHttpResult<PlatformHealth>>> GetHealthAsync(
        HealthCheckService healthChecks, CancellationToken cancellationToken)
    {
        var report = await healthChecks.CheckHealthAsync(cancellationToken);
        var body = new PlatformHealth(report.Status.ToString());
        return report.Status == HealthStatus.Unhealthy
            ? TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(body);
    }
}
