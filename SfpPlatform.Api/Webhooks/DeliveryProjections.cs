using System.Linq.Expressions;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Api.Webhooks;

/// <summary>
/// The Api's mapping from a stored delivery to the contract's <see cref="DeliverySummary"/>, as static members of the
/// record (<c>DeliverySummary.Projection</c>): usable in queries, where EF Core translates it to SQL, and on loaded rows.
/// </summary>
internal static class DeliverySummaryProjection
{
    private static readonly Expression<Func<WebhookDelivery, DeliverySummary>> Summary = d => new DeliverySummary(
        d.Id, d.Provider, d.DeliveryId, d.Event, d.Action, d.Repository, d.InstallationId, d.Organization, d.ProjectKey,
        d.ReceivedAt, d.Status, d.Reason, d.Workflow, d.Recovered);

    private static readonly Func<WebhookDelivery, DeliverySummary> Compiled = Summary.Compile();

    extension(DeliverySummary)
    {
        public static Expression<Func<WebhookDelivery, DeliverySummary>> Projection => Summary;

        public static DeliverySummary From(WebhookDelivery delivery) => Compiled(delivery);
    }
}

/// <summary>The Api's mapping from a stored run to a delivery's <see cref="DeliveryRun"/> (<c>DeliveryRun.Projection</c>).</summary>
internal static class DeliveryRunProjection
{
    private static readonly Expression<Func<WorkflowRun, DeliveryRun>> Run =
        r => new DeliveryRun(r.Id, r.Workflow, r.Status, r.ReplayOfRunId, r.CreatedAt);

    extension(DeliveryRun)
    {
        public static Expression<Func<WorkflowRun, DeliveryRun>> Projection => Run;
    }
}
