using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>
/// What a Salesforce CLI login needs from an integration: an sfdx auth URL (<c>salesforce-auth-url</c>), or the JWT
/// bearer flow's consumer key, username, login URL and private key (<c>salesforce-jwt</c>). The secret is decrypted
/// (and audited) for this one login; never log it.
/// </summary>
public sealed record SalesforceOrgCredential(string Kind, string IntegrationName, string? Username, string? LoginUrl, string? ConsumerKey, string Secret)
{
    public override string ToString() => $"SalesforceOrgCredential({Kind}, {IntegrationName}, {Username})";
}
