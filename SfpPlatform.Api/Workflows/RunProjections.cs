using System.Linq.Expressions;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Api.Workflows;

/// <summary>
/// The Api's mapping from a stored run to the contract's <see cref="RunSummary"/>, as a static member of the record
/// (<c>RunSummary.Projection</c>) that EF Core translates to SQL.
/// </summary>
internal static class RunProjections
{
    private static readonly Expression<Func<WorkflowRun, RunSummary>> Summary = r => new RunSummary(
        r.Id, r.Workflow, r.Status, r.ProjectKey, r.DeliveryId, r.ReplayOfRunId, r.Attempt, r.CurrentStep, r.Error, r.CancelRequested,
        r.CreatedAt, r.StartedAt, r.FinishedAt,
        r.ReplayOfRunId != null ? TriggerKinds.Replay
        : r.DeliveryId != null ? TriggerKinds.Event
        : r.IdempotencyKey != null && r.IdempotencyKey.StartsWith(SchedulePolicy.IdempotencyKeyPrefix) ? TriggerKinds.Schedule
        : TriggerKinds.Manual);

    extension(RunSummary)
    {
        public static Expression<Func<WorkflowRun, RunSummary>> Projection => Summary;
    }
}
