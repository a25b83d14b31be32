using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Webhooks;

/// <summary>The delivery log (owners): list and filter, one delivery with its payload and headers, replay.</summary>
public static class DeliveriesApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/webhooks/deliveries").WithTags("Webhook deliveries").RequireAuthorization(PlatformPolicies.Manage);
        group.MapGet("/", ListAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries, newest first; filter by provider, status, repository, event and recovered; paged (owners).");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetWebhookDelivery")
            .WithSummary("One delivery with its payload, kept headers and runs (owners).");
        group.MapPost("/{id:guid}/replay", ReplayAsync).WithName("ReplayWebhookDelivery")
            .WithSummary("Routes a stored delivery again under the current rules: a new run linked to the original (owners).");
        return group;
    }

    internal static async Task<Results<Ok<PaginatedItems<DeliverySummary>>, ValidationProblem>> ListAsync(
        SfpDbContext db, string? provider, string? status, string? repository, string? @event, bool? recovered,
        int? pageIndex, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (provider is not null && !WebhookProviders.All.Contains(provider))
        {
            errors["provider"] = [$"'{provider}' is not a provider: use {string.Join(" or ", WebhookProviders.All)}."];
        }

        if (status is not null && !WebhookDeliveryStatus.All.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a delivery status: use {string.Join(" or ", WebhookDeliveryStatus.All)}."];
        }

        Paging.Validate(pageIndex, pageSize, MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.WebhookDeliveries.AsNoTracking();
        if (provider is not null)
        {
            query = query.Where(d => d.Provider == provider);
        }

        if (status is not null)
        {
            query = query.Where(d => d.Status == status);
        }

        if (repository is not null)
        {
            query = query.Where(d => d.Repository == repository);
        }

        if (@event is not null)
        {
            query = query.Where(d => d.Event == @event);
        }

        if (recovered is { } wasRecovered)
        {
            query = query.Where(d => d.Recovered == wasRecovered);
        }

        var (index, size) = (pageIndex ?? 0, pageSize ?? DefaultPageSize);
        var count = await query.LongCountAsync(cancellationToken);
        var page = await query.OrderByDescending(d => d.ReceivedAt).ThenByDescending(d => d.Id)
            .Skip(index * size).Take(size)
            .Select(DeliverySummary.Projection)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PaginatedItems<DeliverySummary>(index, size, count, page));
    }

    internal static async Task<Results<Ok<DeliveryDetail>, NotFound<ProblemDetails>>> GetAsync(
        Guid id, SfpDbContext db, WorkflowRunStore store, CancellationToken cancellationToken)
    {
        var d = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (d is null)
        {
            return NotFound(id);
        }

        var runs = await store.RunsOfDeliveryAsync(id, DeliveryRun.Projection, cancellationToken);
        using var payload = JsonDocument.Parse(d.Body);
        return TypedResults.Ok(new DeliveryDetail(
            DeliverySummary.From(d),
            d.IntegrationId, d.Headers.Deserialize<Dictionary<string, string>>() ?? [], payload.RootElement.Clone(), d.Body.Length, runs));
    }

    internal static async Task<Results<Created<DeliveryRun>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ReplayAsync(
        Guid id, ClaimsPrincipal user, WorkflowRunStore runs, WebhookIntake intake, AuditLog audit, CancellationToken cancellationToken)
    {
        var outcome = await intake.ReplayAsync(id, cancellationToken);
        if (outcome is not { } replay)
        {
            return NotFound(id);
        }

        await audit.RecordAsync(user.ToAuditActor(), AuditActions.DeliveryReplayed, $"delivery:{id}",
            replay.RunId is null ? AuditOutcomes.Refused : AuditOutcomes.Succeeded,
            replay.RunId is { } started ? $"run {started} ({replay.Decision.Rule?.Workflow})" : replay.Decision.Reason, cancellationToken);
        if (replay.RunId is not { } runId)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Nothing to replay",
                Detail = $"Under the current routing rules this delivery starts no workflow: {replay.Decision.Reason}.",
            });
        }

        var run = (await runs.FindAsync(runId, DeliveryRun.Projection, cancellationToken))!;
        return TypedResults.Created($"/sfp/api/webhooks/deliveries/{id}", run);
    }

    private static NotFound<ProblemDetails> NotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Delivery not found",
        Detail = $"No webhook delivery has id {id}.",
    });
}
