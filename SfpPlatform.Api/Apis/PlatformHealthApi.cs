using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Health;
using SfpPlatform.Core.Health;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Apis;

/// <summary>
/// The public health answer (one overall status word, no check names, timings or exceptions) and, for signed-in users,
/// the workers' health: their heartbeats and the run queue.
/// </summary>
public static class PlatformHealthApi
{
    public static IEndpointRouteBuilder MapPlatformHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sfp/api/health", GetHealthAsync)
            .WithName("GetPlatformHealth")
            .WithTags("Health")
            .AllowAnonymous();
        app.MapGet("/sfp/api/health/workers", GetWorkersAsync)
            .WithName("GetWorkersHealth")
            .WithTags("Health")
            .RequireAuthorization(PlatformPolicies.Read)
            .WithSummary("Each Workers process with its last heartbeat, and the run queue's depth and oldest age, summed up in a status and its reason.");
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

    /// <summary>The workers' heartbeats and the queue now, both read with the database's clock.</summary>
    internal static async Task<Ok<WorkersHealth>> GetWorkersAsync(
        WorkerHeartbeatStore heartbeats, WorkflowRunStore runs, CancellationToken cancellationToken)
    {
        var (workers, now) = await heartbeats.ListAsync(cancellationToken);
        var queue = await runs.QueueAsync(cancellationToken);
        return TypedResults.Ok(WorkersHealthAssessment.Assess(workers, queue, now));
    }
}
