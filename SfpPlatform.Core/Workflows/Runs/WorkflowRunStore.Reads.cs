using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace SfpPlatform.Core.Workflows.Runs;

// The reads behind the Api's runs and deliveries: the caller chooses the shape through a projection, translated to SQL
// (only the columns it names are read).
public sealed partial class WorkflowRunStore
{
    /// <summary>A page of runs, newest first, and how many match in all.</summary>
    public async Task<(long Count, IReadOnlyList<T> Page)> ListAsync<T>(
        RunFilter filter, int pageIndex, int pageSize, Expression<Func<WorkflowRun, T>> projection, CancellationToken cancellationToken)
    {
        var query = Context.Set<WorkflowRun>().AsNoTracking();
        if (filter.Workflow is { } workflow)
        {
            query = query.Where(r => r.Workflow == workflow);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(r => r.Status == status);
        }

        if (filter.ProjectKey is { } projectKey)
        {
            query = query.Where(r => r.ProjectKey == projectKey);
        }

        var count = await query.LongCountAsync(cancellationToken);
        var page = await query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(pageIndex * pageSize).Take(pageSize).Select(projection).ToListAsync(cancellationToken);
        return (count, page);
    }

    /// <summary>One run in the caller's shape; default when there is none.</summary>
    public Task<T?> FindAsync<T>(Guid runId, Expression<Func<WorkflowRun, T>> projection, CancellationToken cancellationToken) =>
        Context.Set<WorkflowRun>().AsNoTracking().Where(r => r.Id == runId).Select(projection).SingleOrDefaultAsync(cancellationToken)!;

    public Task<bool> ExistsAsync(Guid runId, CancellationToken cancellationToken) =>
        Context.Set<WorkflowRun>().AsNoTracking().AnyAsync(r => r.Id == runId, cancellationToken);

    /// <summary>The runs a delivery caused, oldest first.</summary>
    public async Task<IReadOnlyList<T>> RunsOfDeliveryAsync<T>(Guid deliveryId, Expression<Func<WorkflowRun, T>> projection, CancellationToken cancellationToken) =>
        await Context.Set<WorkflowRun>().AsNoTracking().Where(r => r.DeliveryId == deliveryId).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(projection).ToListAsync(cancellationToken);

    /// <summary>A run's step attempts, in the order they started.</summary>
    public async Task<IReadOnlyList<T>> StepsAsync<T>(Guid runId, Expression<Func<WorkflowStepRun, T>> projection, CancellationToken cancellationToken) =>
        await Context.Set<WorkflowStepRun>().AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Id)
            .Select(projection).ToListAsync(cancellationToken);

    /// <summary>Up to <paramref name="max"/> of a run's log lines after line <paramref name="afterId"/>, oldest first.</summary>
    public async Task<IReadOnlyList<T>> LogAsync<T>(
        Guid runId, long afterId, int max, Expression<Func<WorkflowLogLine, T>> projection, CancellationToken cancellationToken) =>
        await Context.Set<WorkflowLogLine>().AsNoTracking().Where(l => l.RunId == runId && l.Id > afterId).OrderBy(l => l.Id).Take(max)
            .Select(projection).ToListAsync(cancellationToken);
}
