namespace SfpPlatform.Contracts.Runs;

/// <summary>The webhook delivery a run was started for.</summary>
/// <param name="Id">The platform's id of the stored delivery.</param>
/// <param name="DeliveryId">The provider's id of the delivery.</param>
public sealed record RunDelivery(Guid Id, string Provider, string DeliveryId);
