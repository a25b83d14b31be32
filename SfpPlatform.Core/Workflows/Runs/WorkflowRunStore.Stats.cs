using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Contracts.Stats;

namespace SfpPlatform.Core.Workflows.Runs;

// The Overview's figures about runs: one statement each over the window.
public sealed partial class WorkflowRunStore
{
    private const string OutcomesSql = $"""
        SELECT workflow,
               count(*) FILTER (WHERE status = '{RunStatuses.Succeeded}')::int AS succeeded,
               count(*) FILTER (WHERE status = '{RunStatuses.Failed}')::int AS failed,
               count(*) FILTER (WHERE status = '{RunStatuses.Cancelled}')::int AS cancelled,
               count(*) FILTER (WHERE status = '{RunStatuses.Running}')::int AS running,
               count(*) FILTER (WHERE status = '{RunStatuses.Queued}')::int AS queued
        FROM workflow_runs WHERE created_at >= @from
        GROUP BY workflow ORDER BY workflow
        """;

    private const string DurationsSql = $"""
        SELECT workflow, count(*)::int AS runs,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float8 AS p50seconds,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float8 AS p90seconds,
               percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float8 AS p99seconds
        FROM workflow_runs
        WHERE finished_at >= @from AND started_at IS NOT NULL AND status IN ('{RunStatuses.Succeeded}', '{RunStatuses.Failed}')
        GROUP BY workflow ORDER BY workflow
        """;

    public async Task<IReadOnlyList<WorkflowOutcomes>> OutcomesSinceAsync(DateTimeOffset from, CancellationToken cancellationToken) =>
        await Context.Database.SqlQueryRaw<WorkflowOutcomes>(OutcomesSql, Named("from", from)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<WorkflowDurations>> DurationsSinceAsync(DateTimeOffset from, CancellationToken cancellationToken) =>
        await Context.Database.SqlQueryRaw<WorkflowDurations>(DurationsSql, Named("from", from)).ToListAsync(cancellationToken);

    /// <summary>The queue now (the same statement the metrics sampler runs).</summary>
    public async Task<QueueState> QueueAsync(CancellationToken cancellationToken)
    {
        var sample = await SampleQueueAsync(cancellationToken);
        return new QueueState(sample.Queued, sample.Running, sample.OldestQueuedAge.TotalSeconds);
    }
}
