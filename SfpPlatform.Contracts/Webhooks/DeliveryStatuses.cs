namespace SfpPlatform.Contracts.Webhooks;

/// <summary>What the platform did with a delivery (<see cref="DeliverySummary.Status"/>, and the list's status filter).</summary>
public static class DeliveryStatuses
{
    /// <summary>A rule matched: a run was enqueued.</summary>
    public const string Routed = "routed";

    /// <summary>No rule matched (or the event could not be read): stored, nothing run.</summary>
    public const string Ignored = "ignored";

    public static readonly IReadOnlyList<string> All = [Routed, Ignored];
}
