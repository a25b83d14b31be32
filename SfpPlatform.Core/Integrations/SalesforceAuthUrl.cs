namespace SfpPlatform.Core.Integrations;

/// <summary>An sfdx auth URL: <c>force://clientId:clientSecret:refreshToken@host</c> (client secret may be empty).</summary>
public sealed record SalesforceAuthUrl(string ClientId, string ClientSecret, string RefreshToken, string Host)
{
    public string InstanceUrl => "https://" + Host;

    public static bool TryParse(string? value, out SalesforceAuthUrl? authUrl)
    {
        authUrl = null;
        const string scheme = "force://";
        if (value is null || !value.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = value[scheme.Length..];
        var at = rest.LastIndexOf('@');
        if (at <= 0 || at == rest.Length - 1)
        {
            return false;
        }

        var credentials = rest[..at].Split(':');
        var host = rest[(at + 1)..].TrimEnd('/');
        if (credentials.Length != 3 || credentials[0].Length == 0 || credentials[2].Length == 0
            || Uri.CheckHostName(host.Split(':')[0]) != UriHostNameType.Dns)
        {
            return false;
        }

        authUrl = new SalesforceAuthUrl(credentials[0], credentials[1], credentials[2], host);
        return true;
    }
}
