using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>An integration as the Api shows it: settings and a fingerprint of the secret, never the secret.</summary>
public sealed record IntegrationResponse(
    Guid Id, string Kind, string Name, string? ProjectKey, JsonElement Settings, string SecretFingerprint, string KeyId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastUsedAt)
{
    public static IntegrationResponse From(Integration i) => new(
        i.Id, i.Kind, i.Name, i.ProjectKey, i.Settings.RootElement.Clone(), i.SecretFingerprint, i.KeyId,
        i.CreatedAt, i.UpdatedAt, i.LastUsedAt);
}

/// <summary>
/// <c>POST /sfp/api/integrations</c>: <c>{"kind", "name", "projectKey" (null: global), "settings": {...}, "secret"}</c>.
/// </summary>
public sealed record CreateIntegrationRequest(string? Kind, string? Name, string? ProjectKey, JsonElement? Settings, string? Secret);

/// <summary><c>PUT /sfp/api/integrations/{id}</c>: the name and the non-secret settings.</summary>
public sealed record UpdateIntegrationRequest(string? Name, JsonElement? Settings);

/// <summary><c>POST /sfp/api/integrations/{id}/rotate</c>: the replacement secret.</summary>
public sealed record RotateSecretRequest(string? Secret);

/// <summary>The answer of "test connection".</summary>
public sealed record ConnectionTestResponse(bool Ok, string Detail);
