using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Core.Data;

/// <summary>
/// The platform's system of record. Its schema has one owner: the Api applies the migrations at start-up,
/// before it serves, and the AppHost makes Workers wait for it. The run tables have no sets here: every statement on
/// them goes through <see cref="Workflows.Runs.WorkflowRunStore"/>.
/// </summary>
public sealed class SfpDbContext(DbContextOptions<SfpDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Integration> Integrations => Set<Integration>();

    public DbSet<CredentialAuditEntry> CredentialAudit => Set<CredentialAuditEntry>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    /// <summary>The web app's Data Protection key ring (sign-in cookies survive restarts).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<RoutingRuleSet> RoutingRuleSets => Set<RoutingRuleSet>();

    public DbSet<Build> Builds => Set<Build>();

    public DbSet<BuildCounter> BuildCounters => Set<BuildCounter>();

    public DbSet<ReviewEnvironmentLease> ReviewEnvironmentLeases => Set<ReviewEnvironmentLease>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Secrets are encrypted in SQL with pgp_sym_encrypt/pgp_sym_decrypt.
        modelBuilder.HasPostgresExtension("pgcrypto");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SfpDbContext).Assembly);
    }
}
