using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Credentials;

/// <summary>
/// The pgcrypto keys, from configuration only (<c>Credentials:Keys:{id}</c>), never written to the database.
/// New secrets are encrypted under <see cref="ActiveKeyId"/>; rows name their key id, so during a rotation both the
/// old and the new key are configured and every row stays readable.
/// </summary>
public sealed class CredentialOptions
{
    public const string SectionName = "Credentials";

    public const int MinimumKeyLength = 32;

    public Dictionary<string, string> Keys { get; set; } = [];

    public string? ActiveKeyId { get; set; }
}
