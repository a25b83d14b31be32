using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Api.Webhooks;

/// <summary>
/// Routing rules as data: the defaults, and per project an ordered list that replaces them (first match wins).
/// </summary>
public static class RoutingRulesApi
{
    public static RouteGroupBuilder MapRoutingRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/webhooks/routing-rules").WithTags("Webhook routing").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", () => TypedResults.Ok(new RoutingRulesResponse(null, "default", DefaultRoutingRules.Rules)))
            .WithName("GetDefaultRoutingRules").WithSummary("The rules used by projects that have none of their own.");
        group.MapGet("/{projectKey}", GetAsync).WithName("GetProjectRoutingRules")
            .WithSummary("The rules that route a project's deliveries (its own, else the defaults).");
        group.MapPut("/{projectKey}", PutAsync).WithName("PutProjectRoutingRules").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Replaces a project's rules (owners).");
        group.MapDelete("/{projectKey}", DeleteAsync).WithName("DeleteProjectRoutingRules").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Returns a project to the default rules (owners).");
        return group;
    }

    internal static async Task<Results<Ok<RoutingRulesResponse>, ValidationProblem>> GetAsync(string projectKey, SfpDbContext db, CancellationToken cancellationToken)
    {
        if (InvalidProjectKey(projectKey) is { } invalid)
        {
            return invalid;
        }

        var set = await db.RoutingRuleSets.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectKey == projectKey, cancellationToken);
        return TypedResults.Ok(set is null
            ? new RoutingRulesResponse(projectKey, "default", DefaultRoutingRules.Rules)
            : new RoutingRulesResponse(projectKey, "project", set.Parse()));
    }

    internal static async Task<Results<Ok<RoutingRulesResponse>, ValidationProblem>> PutAsync(
        string projectKey, RoutingRulesRequest request, ClaimsPrincipal user, SfpDbContext db, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = RoutingRules.Validate(request.Rules);
        if (!IntegrationValidator.IsProjectKey(projectKey))
        {
            errors["projectKey"] = [ProjectKeyMessage];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rules = request.Rules!.Select(r => r!).ToList();
        var json = JsonSerializer.SerializeToDocument(rules, RoutingRuleSet.JsonOptions);
        var set = await db.RoutingRuleSets.SingleOrDefaultAsync(s => s.ProjectKey == projectKey, cancellationToken);
        if (set is null)
        {
            db.RoutingRuleSets.Add(new RoutingRuleSet { ProjectKey = projectKey, Rules = json, UpdatedAt = time.GetUtcNow() });
        }
        else
        {
            set.Rules = json;
            set.UpdatedAt = time.GetUtcNow();
        }

        audit.Add(user.ToAuditActor(), AuditActions.RoutingRulesChanged, $"project:{projectKey}",
            detail: $"{rules.Count} rule(s): {string.Join(", ", rules.Select(r => $"{r.Event} → {r.Workflow}"))}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new RoutingRulesResponse(projectKey, "project", rules));
    }

    internal static async Task<Results<NoContent, ValidationProblem>> DeleteAsync(
        string projectKey, ClaimsPrincipal user, SfpDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        if (InvalidProjectKey(projectKey) is { } invalid)
        {
            return invalid;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await db.RoutingRuleSets.Where(s => s.ProjectKey == projectKey).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            await audit.RecordAsync(user.ToAuditActor(), AuditActions.RoutingRulesDeleted, $"project:{projectKey}", cancellationToken: cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private const string ProjectKeyMessage = "The project key must be 1 to 100 letters, digits, '.', '_' or '-'.";

    private static ValidationProblem? InvalidProjectKey(string projectKey) => IntegrationValidator.IsProjectKey(projectKey)
        ? null
        : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["projectKey"] = [ProjectKeyMessage] });
}
