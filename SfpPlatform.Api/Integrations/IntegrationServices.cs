using Microsoft.Extensions.Options;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>What the integration endpoints depend on.</summary>
public sealed class IntegrationServices(SfpDbContext db, CredentialVault vault, IOptions<IntegrationOptions> options, TimeProvider time, AuditLog audit)
{
    public AuditLog Audit { get; } = audit;

    public SfpDbContext Db { get; } = db;

    public CredentialVault Vault { get; } = vault;

    public IOptions<IntegrationOptions> Options { get; } = options;

    public TimeProvider Time { get; } = time;
}
