using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Health;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Core.Workflows.Schedules;

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

    /// <summary>Redeliveries the delivery recovery asked GitHub for (how a stored delivery is known to be recovered).</summary>
    public DbSet<Webhooks.Recovery.GitHubRedeliveryRequest> GitHubRedeliveryRequests => Set<Webhooks.Recovery.GitHubRedeliveryRequest>();

    /// <summary>Where the delivery recovery stopped on each hook.</summary>
    public DbSet<Webhooks.Recovery.GitHubDeliveryCursor> GitHubDeliveryCursors => Set<Webhooks.Recovery.GitHubDeliveryCursor>();

    public DbSet<Build> Builds => Set<Build>();

    public DbSet<BuildCounter> BuildCounters => Set<BuildCounter>();

    public DbSet<ReviewEnvironmentLease> ReviewEnvironmentLeases => Set<ReviewEnvironmentLease>();

    /// <summary>Each Workers process's last heartbeat (written through <see cref="WorkerHeartbeatStore"/>).</summary>
    public DbSet<WorkerHeartbeat> WorkerHeartbeats => Set<WorkerHeartbeat>();

    public DbSet<WorkflowSchedule> WorkflowSchedules => Set<WorkflowSchedule>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Secrets are encrypted in SQL with pgp_sym_encrypt/pgp_sym_decrypt.
        modelBuilder.HasPostgresExtension("pgcrypto");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SfpDbContext).Assembly);
        RequireSnakeCaseColumns(modelBuilder);
        KeepConstraintNames(modelBuilder);
    }

    /// <summary>A context configured without <see cref="SfpDbContextOptions.UseSfpConventions"/> would query columns that do not exist.</summary>
    private static void RequireSnakeCaseColumns(ModelBuilder modelBuilder)
    {
        var column = modelBuilder.Model.FindEntityType(typeof(Integration))?.FindProperty(nameof(Integration.ProjectKey))?.GetColumnName();
        if (column != "project_key")
        {
            throw new InvalidOperationException(
                $"SfpDbContext's options lack its conventions (Integration.ProjectKey maps to '{column}', not 'project_key'): configure it with UseSfpConventions().");
        }
    }

    /// <summary>
    /// The snake_case convention would also lower-case the key, foreign-key and index names EF Core gave them when the
    /// tables were created (PK_…, FK_…, IX_…) and so rename every constraint in the database: those keep EF Core's
    /// default names, as the migrations created them. Names set explicitly in a configuration stay as they are.
    /// </summary>
    private static void KeepConstraintNames(ModelBuilder modelBuilder)
    {
        static string Columns(IEnumerable<IMutableProperty> properties) => string.Join("_", properties.Select(p => p.GetColumnName()));

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            entity.FindPrimaryKey()?.SetName($"PK_{table}");
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName($"FK_{table}_{foreignKey.PrincipalEntityType.GetTableName()}_{Columns(foreignKey.Properties)}");
            }

            foreach (var index in entity.GetIndexes().Where(i => ((IConventionIndex)i).GetDatabaseNameConfigurationSource() != ConfigurationSource.Explicit))
            {
                index.SetDatabaseName($"IX_{table}_{Columns(index.Properties)}");
            }
        }
    }
}
