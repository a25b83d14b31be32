namespace SfpPlatform.Contracts.Stats;

/// <summary>Deliveries received in the minute starting at <paramref name="Minute"/>, by outcome (minutes without any are left out).</summary>
public sealed record DeliveryMinute(DateTimeOffset Minute, int Routed, int Ignored);
