using System.Text.RegularExpressions;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// Which user-supplied URLs are accepted, as patterns (<c>Integrations:AllowedUrls:{provider}</c>). Configuration
/// adds to the defaults; tests add their loopback stand-ins. Placeholders: <c>{name}</c> (one DNS label),
/// <c>{domain}</c> (a host name), <c>{port}</c>.
/// </summary>
public sealed class IntegrationOptions
{
    public const string SectionName = "Integrations";

    public const string AzureDevOps = "AzureDevOps";
    public const string Salesforce = "Salesforce";
    public const string GitHubEnterprise = "GitHubEnterprise";

    public Dictionary<string, List<string>> AllowedUrls { get; set; } = new()
    {
        [AzureDevOps] = ["https://dev.azure.com/{name}", "https://{name}.visualstudio.com"],
        [Salesforce] = ["https://login.salesforce.com", "https://test.salesforce.com", "https://{name}.my.salesforce.com"],
        [GitHubEnterprise] = ["https://{domain}"],
    };

    /// <summary>True when <paramref name="url"/> (an absolute URL, trailing slash ignored) matches a pattern.</summary>
    public bool IsAllowed(string provider, string url)
    {
        var candidate = url.TrimEnd('/');
        return AllowedUrls.GetValueOrDefault(provider, []).Any(pattern => ToRegex(pattern).IsMatch(candidate));
    }

    private static Regex ToRegex(string pattern)
    {
        var escaped = Regex.Escape(pattern.TrimEnd('/'))
            .Replace(@"\{name}", "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?", StringComparison.Ordinal)
            .Replace(@"\{domain}", "[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", StringComparison.Ordinal)
            .Replace(@"\{port}", "[0-9]{1,5}", StringComparison.Ordinal);
        return new Regex("^" + escaped + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }
}
