namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// A redelivery the platform asked GitHub for, one row per <c>X-GitHub-Delivery</c> guid. GitHub keeps the guid on a
/// redelivery and sends nothing else that says "redelivered", so this row is how the intake knows a delivery it stores
/// was recovered (<see cref="WebhookDelivery.Recovered"/>).
/// </summary>
public sealed class GitHubRedeliveryRequest
{
    /// <summary>GitHub's delivery guid (the <c>X-GitHub-Delivery</c> header the redelivery carries).</summary>
    public required string DeliveryGuid { get; set; }

    /// <summary>The hook it was asked on (<see cref="RecoverableHook.Key"/>).</summary>
    public required string Hook { get; set; }

    /// <summary>GitHub's numeric id of the delivery attempt the platform asked to send again.</summary>
    public long AttemptId { get; set; }

    public DateTimeOffset FirstRequestedAt { get; set; }

    public DateTimeOffset LastRequestedAt { get; set; }

    /// <summary>How many times it was asked (a redelivery that failed again is asked again, up to a limit).</summary>
    public int Attempts { get; set; }
}
