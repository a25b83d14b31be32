using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Api.Auth;
using SfpPlatform.Core.Audit;
using SfpPlatform.Api.Webhooks;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Workflows;

/// <summary>Workflow runs (any role reads; owners cancel): list and filter, one run with its steps, its log lines, cancel.</summary>
public static class RunsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxLogLines = 1000;

    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/runs").WithTags("Workflow runs").RequireAuthorization(PlatformPolicies.Read);
        group.MapGet("/", ListAsync).WithName("ListWorkflowRuns")
            .WithSummary("Runs, newest first; filter by workflow, status and project; paged.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetWorkflowRun")
            .WithSummary("One run with its step attempts.");
        group.MapGet("/{id:guid}/logs", LogsAsync).WithName("GetWorkflowRunLogs")
            .WithSummary("The run's log lines after the line id given (afterId), oldest first: poll with the last id seen.");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelWorkflowRun").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Cancels a queued run, or asks a running one to stop (owners).");
        return group;
    }

    internal static async Task<Results<Ok<PaginatedItems<RunSummary>>, ValidationProblem>> ListAsync(
        WorkflowRunStore runs, string? workflow, string? status, string? projectKey, int? pageIndex, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (workflow is not null && !WorkflowNames.All.Contains(workflow))
        {
            errors["workflow"] = [$"'{workflow}' is not a workflow: use one of {string.Join(", ", WorkflowNames.All)}."];
        }

        if (status is not null && !RunStatuses.All.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a run status: use one of {string.Join(", ", RunStatuses.All)}."];
        }

        Paging.Validate(pageIndex, pageSize, MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (index, size) = (pageIndex ?? 0, pageSize ?? DefaultPageSize);
        var (count, page) = await runs.ListAsync(new RunFilter(workflow, status, projectKey), index, size, RunSummary.Projection, cancellationToken);
        return TypedResults.Ok(new PaginatedItems<RunSummary>(index, size, count, page));
    }

    internal static async Task<Results<Ok<RunDetail>, NotFound<ProblemDetails>>> GetAsync(Guid id, WorkflowRunStore runs, CancellationToken cancellationToken)
    {
        var run = await runs.FindAsync(id, RunSummary.Projection, cancellationToken);
        if (run is null)
        {
            return NotFound(id);
        }

        var steps = await runs.StepsAsync(id, s => new RunStep(s.Step, s.Attempt, s.Status, s.Error, s.StartedAt, s.FinishedAt), cancellationToken);
        return TypedResults.Ok(new RunDetail(run, steps));
    }

    internal static async Task<Results<Ok<RunLog>, NotFound<ProblemDetails>>> LogsAsync(
        Guid id, long? afterId, WorkflowRunStore runs, CancellationToken cancellationToken)
    {
        var status = await runs.FindAsync(id, r => r.Status, cancellationToken);
        if (status is null)
        {
            return NotFound(id);
        }

        var lines = await runs.LogAsync(id, afterId ?? 0, MaxLogLines, l => new RunLogLine(l.Id, l.Step, l.At, l.Line), cancellationToken);
        return TypedResults.Ok(new RunLog(status, lines));
    }

    internal static async Task<Results<Ok<RunSummary>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> CancelAsync(
        Guid id, ClaimsPrincipal user, WorkflowRunStore runs, IWorkflowEngine engine, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!await runs.ExistsAsync(id, cancellationToken))
        {
            return NotFound(id);
        }

        var cancelled = await engine.CancelAsync(id, cancellationToken);
        await audit.RecordAsync(user.ToAuditActor(), AuditActions.RunCancelled, $"run:{id}",
            cancelled ? AuditOutcomes.Succeeded : AuditOutcomes.Refused, cancelled ? null : "the run had already ended", cancellationToken);
        if (!cancelled)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The run has ended",
                Detail = $"Run {id} has already finished; there is nothing to cancel.",
            });
        }

        return TypedResults.Ok((await runs.FindAsync(id, RunSummary.Projection, cancellationToken))!);
    }

    private static NotFound<ProblemDetails> NotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Run not found",
        Detail = $"No workflow run has id {id}.",
    });
}
