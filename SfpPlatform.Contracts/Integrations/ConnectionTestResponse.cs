namespace SfpPlatform.Contracts.Integrations;

/// <summary><c>POST /sfp/api/integrations/{id}/test</c>: whether the provider accepted the credential, and its status.</summary>
public sealed record ConnectionTestResponse(bool Ok, string Detail);
