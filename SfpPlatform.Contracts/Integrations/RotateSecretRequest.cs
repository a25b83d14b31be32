namespace SfpPlatform.Contracts.Integrations;

/// <summary><c>POST /sfp/api/integrations/{id}/rotate</c>: the replacement secret.</summary>
public sealed record RotateSecretRequest(string? Secret);
