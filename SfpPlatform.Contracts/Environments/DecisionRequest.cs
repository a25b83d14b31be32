namespace SfpPlatform.Contracts.Environments;

/// <summary>An approval or rejection of a waiting deployment, with an optional reason.</summary>
public sealed record DecisionRequest(string? Reason = null);
