using System.Text.Json;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.Repositories;

/// <summary>The input the webhook intake gives a run: the delivery, the normalised event, the project.</summary>
public sealed record RunInput(RunDelivery? Delivery, ProviderEvent Event, string? ProjectKey)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static RunInput From(StepContext context) =>
        context.Input.Deserialize<RunInput>(JsonOptions) ?? throw new NonRetryableStepException("The run has no input.");

    /// <summary>The pull request the event is about, or a clear failure.</summary>
    public EventPullRequest PullRequest => Event.PullRequest
        ?? throw new NonRetryableStepException($"The {Event.Name} event names no pull request.");
}

public sealed record RunDelivery(Guid Id, string Provider, string DeliveryId);
