namespace SfpPlatform.Contracts.Webhooks;

/// <summary>The pull-request comment an event is about: the provider's id of it and its text.</summary>
public sealed record EventComment(string Id, string? Body);
