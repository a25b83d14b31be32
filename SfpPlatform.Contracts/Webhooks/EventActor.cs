namespace SfpPlatform.Contracts.Webhooks;

/// <summary>Who sent the event (<see cref="IsBot"/>: a bot or app account).</summary>
public sealed record EventActor(string Login, bool IsBot);
