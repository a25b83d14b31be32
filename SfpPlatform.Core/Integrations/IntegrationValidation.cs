using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SfpPlatform.Core.Integrations;

/// <summary>The outcome of validating an integration: field errors, or the normalised settings to store.</summary>
public sealed record IntegrationValidation(IReadOnlyDictionary<string, string[]> Errors, JsonObject Settings)
{
    public bool IsValid => Errors.Count == 0;
}
