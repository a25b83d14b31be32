using System.Text.Json;

namespace SfpPlatform.Contracts.Integrations;

/// <summary><c>PUT /sfp/api/integrations/{id}</c>: the name and the non-secret settings.</summary>
public sealed record UpdateIntegrationRequest(string? Name, JsonElement? Settings);
