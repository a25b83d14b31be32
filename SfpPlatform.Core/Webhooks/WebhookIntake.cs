using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Telemetry;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// Stores a delivery and the run it causes in one transaction: both or neither, committed before the caller answers
/// (through the <see cref="DeliveryWriter"/>'s group commit, with the deliveries received at the same time). A delivery
/// id seen before adds nothing (GitHub keeps the id on redelivery; Azure DevOps retries with the same event id).
/// </summary>
public sealed class WebhookIntake(SfpDbContext db, WorkflowRunStore runs, DeliveryWriter writer, TimeProvider time)
{
    public async Task<IntakeResult> AcceptAsync(IncomingDelivery delivery, ProviderEvent e, CancellationToken cancellationToken)
    {
        var timer = MetricTimer.Start();
        var result = await StoreAsync(delivery, e, cancellationToken);
        PlatformMetrics.RecordDelivery(delivery.Provider, delivery.Event, result.Status, timer.Elapsed);
        return result;
    }

    private async Task<IntakeResult> StoreAsync(IncomingDelivery delivery, ProviderEvent e, CancellationToken cancellationToken)
    {
        var decision = RoutingRules.Route(e, delivery.Source.ParseRules());
        var id = Guid.CreateVersion7();
        var status = decision.Rule is null ? WebhookDeliveryStatus.Ignored : WebhookDeliveryStatus.Routed;
        // The run's trace context is this request's, taken here: the group commit writes it on another thread.
        var run = decision.Rule is { } rule
            ? WorkflowRunStore.WithCallerTrace(Trigger(rule.Workflow, id, delivery.Provider, delivery.DeliveryId, delivery.Source.ProjectKey, e) with
            {
                IdempotencyKey = $"{delivery.Provider}:{delivery.DeliveryId}",
            })
            : null;
        var record = new DeliveryWriter.Record(id, delivery.Provider, delivery.DeliveryId, delivery.Event, Clip(e.Action, 100),
            Clip(e.Repository?.FullName, 300), e.InstallationId, Clip(e.Organization, 300), delivery.Source.ProjectKey,
            delivery.Source.IntegrationId, time.GetUtcNow(), JsonSerializer.Serialize(delivery.Headers), delivery.Body, status,
            StoredText.Clip(decision.Reason, 500), decision.Workflow, Guid.CreateVersion7(), run);

        var written = await writer.StoreAsync(record, cancellationToken);
        return written.Stored
            ? new IntakeResult(id, status, decision.Reason, decision.Workflow, written.RunId)
            : new IntakeResult(null, IntakeResult.Duplicate, "this delivery id was received before; nothing was added", null, null);
    }

    /// <summary>
    /// Routes a stored delivery again under the rules that apply now and enqueues a new run linked to the
    /// delivery and to its latest run. Null when the delivery does not exist.
    /// </summary>
    public async Task<(RoutingDecision Decision, Guid? RunId)?> ReplayAsync(Guid deliveryId, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        if (delivery.Body.Length == 0)
        {
            return (new RoutingDecision(null, "its body was emptied by retention (Retention:Bodies): there is nothing to route again"), null);
        }

        var e = ProviderEvents.Normalize(delivery.Provider, delivery.Event, delivery.Body);
        var decision = RoutingRules.Route(e, await RulesAsync(delivery.ProjectKey, cancellationToken));
        if (decision.Rule is not { } rule)
        {
            return (decision, null);
        }

        var previousRun = await runs.LatestRunOfDeliveryAsync(deliveryId, cancellationToken);
        var runId = await runs.EnqueueAsync(
            Trigger(rule.Workflow, delivery.Id, delivery.Provider, delivery.DeliveryId, delivery.ProjectKey, e) with { ReplayOfRunId = previousRun },
            cancellationToken);
        return (decision, runId);
    }

    /// <summary>The routing rules that apply to <paramref name="projectKey"/> now (its own, else the defaults).</summary>
    private async Task<IReadOnlyList<RoutingRule>> RulesAsync(string? projectKey, CancellationToken cancellationToken)
    {
        var set = projectKey is null
            ? null
            : await db.RoutingRuleSets.AsNoTracking().SingleOrDefaultAsync(s => s.ProjectKey == projectKey, cancellationToken);
        return set?.Parse() ?? DefaultRoutingRules.Rules;
    }

    private static WorkflowTrigger Trigger(string workflow, Guid id, string provider, string deliveryId, string? projectKey, ProviderEvent e)
    {
        var input = JsonSerializer.SerializeToElement(new RunInput(new RunDelivery(id, provider, deliveryId), e, projectKey), RunInput.JsonOptions);
        return new WorkflowTrigger(workflow, input)
        {
            ProjectKey = projectKey,
            DeliveryId = id,
            ConcurrencyKey = ConcurrencyKey(e, workflow),
        };
    }

    /// <summary>
    /// Runs of one workflow about the same pull request (or the same pushed branch) share a key: a newer one
    /// supersedes the older. A comment command has none: every comment is answered, and none cancels a validation.
    /// </summary>
    private static string? ConcurrencyKey(ProviderEvent e, string workflow) => (workflow, e.Repository, e.PullRequest, e.Branch) switch
    {
        (WorkflowNames.Command, _, _, _) => null,
        (_, { } repo, { } pr, _) => ConcurrencyKeys.PullRequest(e.Provider, repo.FullName, pr.Number, workflow),
        (_, { } repo, null, { } branch) => ConcurrencyKeys.Branch(e.Provider, repo.FullName, branch, workflow),
        _ => null,
    };

    private static string? Clip(string? value, int length) => StoredText.ClipOrNull(value, length);
}
