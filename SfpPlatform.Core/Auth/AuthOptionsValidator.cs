using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Auth;

public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(options.JwtSecret) && string.IsNullOrEmpty(options.JwksUrl))
        {
            errors.Add("Auth:JwtSecret or Auth:JwksUrl must be set: the Api cannot check tokens without a key.");
        }

        if (options.JwtSecret is { Length: > 0 and < 32 })
        {
            errors.Add("Auth:JwtSecret must be at least 32 characters.");
        }

        if (options.JwksUrl is { Length: > 0 } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            errors.Add($"Auth:JwksUrl '{url}' is not an absolute URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
