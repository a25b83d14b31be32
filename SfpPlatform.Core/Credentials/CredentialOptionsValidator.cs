using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Credentials;

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
