using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>The Api's mapping from a stored integration to the contract's <see cref="IntegrationResponse"/>.</summary>
internal static class IntegrationResponses
{
    extension(IntegrationResponse)
    {
        /// <summary>The integration as the Api shows it: the secret only as its fingerprint.</summary>
        public static IntegrationResponse From(Integration i) => new(
            i.Id, i.Kind, i.Name, i.ProjectKey, i.Settings.RootElement.Clone(), i.SecretFingerprint, i.KeyId,
            i.CreatedAt, i.UpdatedAt, i.LastUsedAt);
    }
}
