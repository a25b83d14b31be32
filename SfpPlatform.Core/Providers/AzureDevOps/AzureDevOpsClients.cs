using System.Text.Json;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Providers.AzureDevOps;

/// <summary>An Azure DevOps client for an organisation, from the project's (else the global) PAT integration.</summary>
public sealed class AzureDevOpsClients(ProviderCredentials credentials, IHttpClientFactory http)
{
    public async Task<AzureDevOpsClient> ForOrganizationAsync(Uri organizationUrl, string? projectKey, string caller, CancellationToken cancellationToken = default)
    {
        var wanted = organizationUrl.AbsoluteUri.TrimEnd('/');
        foreach (var integration in await credentials.CandidatesAsync(IntegrationKinds.AzureDevOpsPat, projectKey, cancellationToken))
        {
            var url = integration.Settings.RootElement.GetProperty("organizationUrl").GetString()!.TrimEnd('/');
            if (string.Equals(url, wanted, StringComparison.OrdinalIgnoreCase))
            {
                var pat = await credentials.SecretAsync(integration, "azure-devops", caller, cancellationToken);
                return new AzureDevOpsClient(http.CreateClient(AzureDevOpsClient.HttpClientName), new Uri(url), pat);
            }
        }

        throw new ProviderCredentialMissingException(
            $"No Azure DevOps PAT is registered for {wanted} ({(projectKey is null ? "globally" : $"project '{projectKey}' or globally")}): register one under /sfp/api/integrations.");
    }
}
