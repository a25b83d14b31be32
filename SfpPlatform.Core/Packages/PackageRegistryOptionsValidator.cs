using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

/// <summary><c>PackageRegistry</c>: an absolute http(s) URL when one is given, and each account whole (a user without a password, or the reverse, fails only at the first publish).</summary>
public sealed class PackageRegistryOptionsValidator : IValidateOptions<PackageRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, PackageRegistryOptions options)
    {
        var errors = new List<string>();
        if (options.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"{PackageRegistryOptions.SectionName}:{nameof(PackageRegistryOptions.Url)} is '{url}': not an absolute http(s) URL.");
        }

        Account(nameof(PackageRegistryOptions.Publisher), options.Publisher, errors);
        Account(nameof(PackageRegistryOptions.Reader), options.Reader, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Account(string role, RegistryAccount account, List<string> errors)
    {
        if (account.Username.Length > 0 != account.Password.Length > 0)
        {
            var missing = account.Username.Length == 0 ? nameof(RegistryAccount.Username) : nameof(RegistryAccount.Password);
            errors.Add($"{PackageRegistryOptions.SectionName}:{role}:{missing} is not set, but the account's other half is.");
        }
    }
}
