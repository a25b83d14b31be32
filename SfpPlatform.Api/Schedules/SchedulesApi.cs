using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Schedules;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Api.Schedules;

/// <summary>
/// Schedules (any role reads; owners change): the platform's sweeps and users' schedules of routable workflows, on a
/// five-field UTC cron expression or once at a time. Owners pause and resume any schedule, and create and delete their
/// own; the platform's are kept by the Workers.
/// </summary>
public static partial class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/schedules").WithTags("Schedules").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync).WithName("ListSchedules")
            .WithSummary("Every schedule: workflow, cron (UTC) or time, next run, last run and its status, paused.");
        group.MapPost("/", CreateAsync).WithName("CreateSchedule").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Creates a schedule of a routable workflow for a project, on a cron expression or at a time (owners).");
        group.MapDelete("/{name}", DeleteAsync).WithName("DeleteSchedule").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Deletes a user's schedule; the platform's sweeps can only be paused (owners).");
        group.MapPost("/{name}/pause", (string name, ClaimsPrincipal user, IWorkflowScheduler scheduler, ScheduleStore store, AuditLog audit, CancellationToken ct) =>
            PauseAsync(name, paused: true, user, scheduler, store, audit, ct)).WithName("PauseSchedule").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Pauses a schedule: it starts no run until resumed (owners).");
        group.MapPost("/{name}/resume", (string name, ClaimsPrincipal user, IWorkflowScheduler scheduler, ScheduleStore store, AuditLog audit, CancellationToken ct) =>
            PauseAsync(name, paused: false, user, scheduler, store, audit, ct)).WithName("ResumeSchedule").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Resumes a schedule at its next occurrence; ticks missed while paused are not caught up (owners).");
        return group;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex ScheduleName();

    internal static async Task<Ok<IReadOnlyList<ScheduleSummary>>> ListAsync(IWorkflowScheduler scheduler, CancellationToken cancellationToken) =>
        TypedResults.Ok(await scheduler.ListAsync(cancellationToken));

    internal static async Task<Results<Created<ScheduleSummary>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        CreateScheduleRequest request, ClaimsPrincipal user, IWorkflowScheduler scheduler, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = Validate(request, time.GetUtcNow(), out var cron);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var input = request.Input is { ValueKind: JsonValueKind.Object } given ? given : JsonSerializer.SerializeToElement(new { });
        var created = await scheduler.CreateAsync(
            new ScheduleDefinition(request.Name!, request.Workflow!, input, request.ProjectKey, cron?.Expression, cron is null ? request.At : null, ScheduleOwners.User),
            cancellationToken);
        if (!created)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The schedule exists",
                Detail = $"A schedule named '{request.Name}' exists: delete it first, or choose another name.",
            });
        }

        await audit.RecordAsync(user.ToAuditActor(), AuditActions.ScheduleChanged, $"schedule:{request.Name}",
            detail: $"created: {request.Workflow} {(cron is null ? $"at {request.At:u}" : $"on '{cron.Expression}'")}", cancellationToken: cancellationToken);
        var summary = (await scheduler.ListAsync(cancellationToken)).Single(s => s.Name == request.Name);
        return TypedResults.Created($"/sfp/api/schedules/{summary.Name}", summary);
    }

    internal static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> DeleteAsync(
        string name, ClaimsPrincipal user, IWorkflowScheduler scheduler, ScheduleStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        var schedule = await store.FindAsync(name, cancellationToken);
        if (schedule is null)
        {
            return NotFound(name);
        }

        if (schedule.Owner == ScheduleOwners.Platform)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "A platform sweep's schedule",
                Detail = $"'{name}' is one of the platform's sweeps, which the Workers keep: pause it instead (POST /sfp/api/schedules/{name}/pause).",
            });
        }

        if (!await scheduler.DeleteAsync(name, cancellationToken))
        {
            return NotFound(name);
        }

        await audit.RecordAsync(user.ToAuditActor(), AuditActions.ScheduleChanged, $"schedule:{name}", detail: "deleted", cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ScheduleSummary>, NotFound<ProblemDetails>>> PauseAsync(
        string name, bool paused, ClaimsPrincipal user, IWorkflowScheduler scheduler, ScheduleStore store, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(name, cancellationToken) is null || !await scheduler.SetPausedAsync(name, paused, cancellationToken))
        {
            return NotFound(name);
        }

        await audit.RecordAsync(user.ToAuditActor(), AuditActions.ScheduleChanged, $"schedule:{name}", detail: paused ? "paused" : "resumed",
            cancellationToken: cancellationToken);
        return TypedResults.Ok((await scheduler.ListAsync(cancellationToken)).Single(s => s.Name == name));
    }

    /// <summary>Every field's problem, by the request's (camelCase) field name.</summary>
    internal static Dictionary<string, string[]> Validate(CreateScheduleRequest request, DateTimeOffset now, out CronSchedule? cron)
    {
        cron = null;
        var errors = new Dictionary<string, string[]>();
        if (request.Name is null || !ScheduleName().IsMatch(request.Name))
        {
            errors["name"] = ["The name must be 1 to 100 lower-case letters, digits or '-', starting with a letter or digit."];
        }

        if (request.Workflow is null || !WorkflowNames.Routable.Contains(request.Workflow))
        {
            errors["workflow"] = [$"'{request.Workflow}' is not a workflow a schedule may start: use one of {string.Join(", ", WorkflowNames.Routable)}."];
        }

        if (request.ProjectKey is null || !IntegrationValidator.IsProjectKey(request.ProjectKey))
        {
            errors["projectKey"] = ["The project key must be 1 to 100 letters, digits, '.', '_' or '-'."];
        }

        if (request.Cron is not null && request.At is not null || request.Cron is null && request.At is null)
        {
            errors[request.Cron is null ? "cron" : "at"] = ["Give exactly one of cron (a five-field cron expression in UTC) and at (a time for a one-off run)."];
        }
        else if (request.Cron is not null)
        {
            if (!CronSchedule.TryParse(request.Cron, out cron, out var problem))
            {
                errors["cron"] = [$"Invalid cron expression: {problem}"];
            }
            else if (cron.NextAfter(now) is null)
            {
                errors["cron"] = [$"'{request.Cron}' never occurs (e.g. 30 February)."];
            }
        }
        else if (request.At <= now)
        {
            errors["at"] = [$"{request.At:u} has passed: a one-off runs at a time still to come."];
        }

        if (request.Input is { } input && input.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            errors["input"] = ["The input must be a JSON object."];
        }

        return errors;
    }

    private static NotFound<ProblemDetails> NotFound(string name) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Schedule not found",
        Detail = $"No schedule is named '{name}'.",
    });
}
