using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WorkflowRunConfiguration : IEntityTypeConfiguration<WorkflowRun>
{
    public void Configure(EntityTypeBuilder<WorkflowRun> builder)
    {
        builder.ToTable("workflow_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Workflow).HasMaxLength(64);
        builder.Property(r => r.Status).HasMaxLength(16);
        builder.Property(r => r.Input).HasColumnType("jsonb");
        builder.Property(r => r.IdempotencyKey).HasMaxLength(300);
        builder.Property(r => r.ConcurrencyKey).HasMaxLength(300);
        builder.Property(r => r.ProjectKey).HasMaxLength(100);
        builder.Property(r => r.TraceParent).HasMaxLength(64);
        builder.Property(r => r.TraceState).HasMaxLength(512);
        builder.Property(r => r.NextAttemptAt).HasDefaultValueSql("now()");
        builder.Property(r => r.LeaseOwner).HasMaxLength(200);
        builder.Property(r => r.CurrentStep).HasMaxLength(100);
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.Property(r => r.EngineRunId).HasMaxLength(100);
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.HasIndex(r => r.DeliveryId);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        // The claim query: queued runs due now, and running ones whose lease has expired.
        builder.HasIndex(r => new { r.NextAttemptAt, r.Id }).HasFilter($"status = '{RunStatuses.Queued}'").HasDatabaseName("ix_workflow_runs_claimable");
        builder.HasIndex(r => r.LeaseExpiresAt).HasFilter($"status = '{RunStatuses.Running}'").HasDatabaseName("ix_workflow_runs_leases");
        builder.HasIndex(r => r.ConcurrencyKey).HasFilter($"status IN ('{RunStatuses.Queued}', '{RunStatuses.Running}')").HasDatabaseName("ix_workflow_runs_active_concurrency");
        builder.HasOne(r => r.Delivery).WithMany().HasForeignKey(r => r.DeliveryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(r => r.ReplayOfRunId).OnDelete(DeleteBehavior.Restrict);
    }
}
