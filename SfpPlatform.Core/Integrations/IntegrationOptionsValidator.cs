using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// <c>Integrations:AllowedUrls</c>: only the providers the platform checks URLs for, and every pattern an absolute
/// http(s) URL once its placeholders are filled in (a pattern that can match nothing silently refuses every integration).
/// </summary>
public sealed class IntegrationOptionsValidator : IValidateOptions<IntegrationOptions>
{
    private static readonly string[] Providers = [IntegrationOptions.AzureDevOps, IntegrationOptions.Salesforce, IntegrationOptions.GitHubEnterprise];

    public ValidateOptionsResult Validate(string? name, IntegrationOptions options)
    {
        var errors = new List<string>();
        foreach (var (provider, patterns) in options.AllowedUrls)
        {
            var key = $"{IntegrationOptions.SectionName}:{nameof(IntegrationOptions.AllowedUrls)}:{provider}";
            if (!Providers.Contains(provider, StringComparer.Ordinal))
            {
                errors.Add($"{key}: no such provider (known: {string.Join(", ", Providers)}).");
                continue;
            }

            for (var i = 0; i < patterns.Count; i++)
            {
                var sample = patterns[i].Replace("{name}", "x", StringComparison.Ordinal).Replace("{domain}", "x.example", StringComparison.Ordinal)
                    .Replace("{port}", "443", StringComparison.Ordinal);
                if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                {
                    // No index in the key: configured patterns are added after the defaults, so the bound position is not the configured one.
                    errors.Add($"{key} has '{patterns[i]}': not an absolute http(s) URL pattern (placeholders {{name}}, {{domain}}, {{port}}).");
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
