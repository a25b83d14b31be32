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

/// <summary>Collects every problem with the key configuration, so start-up fails with all of them at once.</summary>
public sealed class CredentialOptionsValidator : IValidateOptions<CredentialOptions>
{
    public ValidateOptionsResult Validate(string? name, CredentialOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ActiveKeyId))
        {
            errors.Add("Credentials:ActiveKeyId is not set: name the key (Credentials:Keys:{id}) new secrets are encrypted under.");
        }
        else if (!options.Keys.ContainsKey(options.ActiveKeyId))
        {
            errors.Add($"Credentials:ActiveKeyId is '{options.ActiveKeyId}' but Credentials:Keys:{options.ActiveKeyId} is not configured.");
        }

        foreach (var (id, key) in options.Keys)
        {
            if (key.Length < CredentialOptions.MinimumKeyLength)
            {
                errors.Add($"Credentials:Keys:{id} is shorter than {CredentialOptions.MinimumKeyLength} characters.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
