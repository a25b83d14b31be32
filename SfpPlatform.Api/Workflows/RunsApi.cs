using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Api.Webhooks;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Api.Workflows;

/// <summary>Workflow runs (any role reads; owners cancel): list and filter, one run with its steps, its log lines, cancel.</summary>
public static class RunsApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxLogLines = 1000;

    private static readonly string[] Statuses =
        [WorkflowRunStatus.Queued, WorkflowRunStatus.Running, WorkflowRunStatus.Succeeded, WorkflowRunStatus.Failed, WorkflowRunStatus.Cancelled];

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
        SfpDbContext db, string? workflow, string? status, string? projectKey, int? pageIndex, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (workflow is not null && !WorkflowNames.All.Contains(workflow))
        {
            errors["workflow"] = [$"'{workflow}' is not a workflow: use one of {string.Join(", ", WorkflowNames.All)}."];
        }

        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"'{status}' is not a run status: use one of {string.Join(", ", Statuses)}."];
        }

        Paging.Validate(pageIndex, pageSize, MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var query = db.WorkflowRuns.AsNoTracking();
        if (workflow is not null)
        {
            query = query.Where(r => r.Workflow == workflow);
        }

        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        if (projectKey is not null)
        {
            query = query.Where(r => r.ProjectKey == projectKey);
        }

        var (index, size) = (pageIndex ?? 0, pageSize ?? DefaultPageSize);
        var count = await query.LongCountAsync(cancellationToken);
        var page = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(index * size).Take(size).Select(RunSummary.Projection).ToListAsync(cancellationToken);
        return TypedResults.Ok(new PaginatedItems<RunSummary>(index, size, count, page));
    }

    internal static async Task<Results<Ok<RunDetail>, NotFound<ProblemDetails>>> GetAsync(Guid id, SfpDbContext db, CancellationToken cancellationToken)
    {
        var run = await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == id).Select(RunSummary.Projection).SingleOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return NotFound(id);
        }

        var steps = await db.WorkflowStepRuns.AsNoTracking().Where(s => s.RunId == id).OrderBy(s => s.Id)
            .Select(s => new RunStep(s.Step, s.Attempt, s.Status, s.Error, s.StartedAt, s.FinishedAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new RunDetail(run, steps));
    }

    internal static async Task<Results<Ok<RunLog>, NotFound<ProblemDetails>>> LogsAsync(
        Guid id, long? afterId, SfpDbContext db, CancellationToken cancellationToken)
    {
        var status = await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == id).Select(r => r.Status).SingleOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            return NotFound(id);
        }

        var after = afterId ?? 0;
        var lines = await db.WorkflowLogs.AsNoTracking().Where(l => l.RunId == id && l.Id > after).OrderBy(l => l.Id).Take(MaxLogLines)
            .Select(l => new RunLogLine(l.Id, l.Step, l.At, l.Line)).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RunLog(status, lines));
    }

    internal static async Task<Results<Ok<RunSummary>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> CancelAsync(
        Guid id, SfpDbContext db, IWorkflowEngine engine, CancellationToken cancellationToken)
    {
        if (!await db.WorkflowRuns.AsNoTracking().AnyAsync(r => r.Id == id, cancellationToken))
        {
            return NotFound(id);
        }

        if (!await engine.CancelAsync(id, cancellationToken))
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The run has ended",
                Detail = $"Run {id} has already finished; there is nothing to cancel.",
            });
        }

        return TypedResults.Ok(await db.WorkflowRuns.AsNoTracking().Where(r => r.Id == id).Select(RunSummary.Projection).SingleAsync(cancellationToken));
    }

    private static NotFound<ProblemDetails> NotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Run not found",
        Detail = $"No workflow run has id {id}.",
    });
}
