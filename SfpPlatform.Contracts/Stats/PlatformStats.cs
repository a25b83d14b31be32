namespace SfpPlatform.Contracts.Stats;

/// <summary>
/// What the Overview charts show, computed by the Api from the database (no metrics backend needed): deliveries per
/// minute by outcome, runs by outcome per workflow and their duration percentiles over the window, and the queue now.
/// </summary>
public sealed record PlatformStats(
    DateTimeOffset From, DateTimeOffset To,
    IReadOnlyList<DeliveryMinute> DeliveriesPerMinute,
    IReadOnlyList<WorkflowOutcomes> RunsByWorkflow,
    IReadOnlyList<WorkflowDurations> RunDurations,
    QueueState Queue);
