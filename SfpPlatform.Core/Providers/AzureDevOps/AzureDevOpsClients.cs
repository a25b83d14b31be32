using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.AzureDevOps;

/// <summary>An Azure DevOps client for an organisation, from the project's (else the global) PAT integration.</summary>
public sealed class AzureDevOpsClients(ProviderCredentials credentials, IHttpClientFactory http)
{
    /// <summary>
    /// The PAT registered for the organisation's URL; else one whose URL ends in the organisation's name (an Azure
    /// DevOps Server collection, or a proxy, registered under its own address): the client then calls that address.
    /// </summary>
    public async Task<AzureDevOpsClient> ForOrganizationAsync(Uri organizationUrl, string? projectKey, string caller, CancellationToken cancellationToken = default)
    {
        var wanted = organizationUrl.AbsoluteUri.TrimEnd('/');
        var name = organizationUrl.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase)
            ? organizationUrl.Host.Split('.')[0]
            : organizationUrl.Segments[^1].TrimEnd('/');
        var candidates = (await credentials.CandidatesAsync(IntegrationKinds.AzureDevOpsPat, projectKey, cancellationToken))
            .Select(i => (Integration: i, Url: i.Settings.RootElement.GetProperty("organizationUrl").GetString()!.TrimEnd('/')))
            .ToList();
        bool Exact(string url) => string.Equals(url, wanted, StringComparison.OrdinalIgnoreCase);
        bool ByName(string url) => name.Length > 0 && url.EndsWith("/" + name, StringComparison.OrdinalIgnoreCase);

        // The project's own PAT before a global one; within each, the exact URL before a match by name.
        var match = candidates.Where(c => Exact(c.Url) || ByName(c.Url))
            .OrderBy(c => c.Integration.ProjectKey is null)
            .ThenBy(c => !Exact(c.Url))
            .FirstOrDefault();
        if (match is ({ } integration, var url))
        {
            var pat = await credentials.SecretAsync(integration, "azure-devops", caller, cancellationToken);
            return new AzureDevOpsClient(http.CreateClient(AzureDevOpsClient.HttpClientName), new Uri(url), pat);
        }

        throw new ProviderCredentialMissingException(
            $"No Azure DevOps PAT is registered for {wanted} ({(projectKey is null ? "globally" : $"project '{projectKey}' or globally")}): register one under /sfp/api/integrations.");
    }
}
