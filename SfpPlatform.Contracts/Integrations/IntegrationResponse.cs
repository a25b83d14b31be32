using System.Text.Json;

namespace SfpPlatform.Contracts.Integrations;

/// <summary>An integration as the Api shows it: its settings and a fingerprint of the secret, never the secret.</summary>
/// <param name="Settings">The kind's settings as stored (see <see cref="IntegrationKind.Settings"/>).</param>
/// <param name="SecretFingerprint"><c>sha256:</c> and the first 16 hex digits of the secret's SHA-256.</param>
/// <param name="KeyId">The credential key the secret is encrypted under.</param>
public sealed record IntegrationResponse(
    Guid Id, string Kind, string Name, string? ProjectKey, JsonElement Settings, string SecretFingerprint, string KeyId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastUsedAt);
