using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Stats;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Apis;

/// <summary>The Overview's figures (any role): computed from the database, so the charts need no metrics backend.</summary>
public static class StatsApi
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static RouteHandlerBuilder MapStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/sfp/api/stats", GetAsync).WithName("GetPlatformStats").WithTags("Stats").RequireAuthorization(PlatformPolicies.Read)
            .WithSummary("Deliveries per minute by outcome, runs by outcome per workflow, run duration percentiles (last 24 h), and the queue now.");

    /// <summary>The last 24 hours of deliveries and runs, and the queue now.</summary>
    internal static async Task<Ok<PlatformStats>> GetAsync(SfpDbContext db, WorkflowRunStore runs, TimeProvider time, CancellationToken cancellationToken)
    {
        var to = time.GetUtcNow();
        var from = to - Window;
        var minutes = await db.Database.SqlQuery<DeliveryMinute>($"""
            SELECT date_trunc('minute', received_at) AS minute,
                   count(*) FILTER (WHERE status = {WebhookDeliveryStatus.Routed})::int AS routed,
                   count(*) FILTER (WHERE status = {WebhookDeliveryStatus.Ignored})::int AS ignored
            FROM webhook_deliveries WHERE received_at >= {from}
            GROUP BY 1 ORDER BY 1
            """).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PlatformStats(from, to, minutes,
            await runs.OutcomesSinceAsync(from, cancellationToken),
            await runs.DurationsSinceAsync(from, cancellationToken),
            await runs.QueueAsync(cancellationToken)));
    }
}
