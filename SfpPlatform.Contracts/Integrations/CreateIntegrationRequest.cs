using System.Text.Json;

namespace SfpPlatform.Contracts.Integrations;

/// <summary>
/// <c>POST /sfp/api/integrations</c>: <c>{"kind", "name", "projectKey" (null: global), "settings": {...}, "secret"}</c>.
/// Every member may be missing on the wire: the Api answers each missing or wrong one with a field error.
/// </summary>
public sealed record CreateIntegrationRequest(string? Kind, string? Name, string? ProjectKey, JsonElement? Settings, string? Secret);
