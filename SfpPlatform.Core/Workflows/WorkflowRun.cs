using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Workflows;

/// <summary>One run of a workflow, as the engine records it.</summary>
public sealed class WorkflowRun
{
    public Guid Id { get; set; }

    public required string Workflow { get; set; }

    /// <summary>One of <see cref="WorkflowRunStatus"/>.</summary>
    public required string Status { get; set; }

    public required JsonDocument Input { get; set; }

    public string? IdempotencyKey { get; set; }

    public string? ConcurrencyKey { get; set; }

    public string? ProjectKey { get; set; }

    public Guid? DeliveryId { get; set; }

    public WebhookDelivery? Delivery { get; set; }

    public Guid? ReplayOfRunId { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The states of a run.</summary>
public static class WorkflowRunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

internal sealed class WorkflowRunConfiguration : IEntityTypeConfiguration<WorkflowRun>
{
    public void Configure(EntityTypeBuilder<WorkflowRun> builder)
    {
        builder.ToTable("workflow_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.Workflow).HasColumnName("workflow").HasMaxLength(64);
        builder.Property(r => r.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(r => r.Input).HasColumnName("input").HasColumnType("jsonb");
        builder.Property(r => r.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(300);
        builder.Property(r => r.ConcurrencyKey).HasColumnName("concurrency_key").HasMaxLength(300);
        builder.Property(r => r.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(r => r.DeliveryId).HasColumnName("delivery_id");
        builder.Property(r => r.ReplayOfRunId).HasColumnName("replay_of_run_id");
        builder.Property(r => r.TraceParent).HasColumnName("trace_parent").HasMaxLength(64);
        builder.Property(r => r.TraceState).HasColumnName("trace_state").HasMaxLength(512);
        builder.Property(r => r.CreatedAt).HasColumnName("created_at");
        builder.Property(r => r.UpdatedAt).HasColumnName("updated_at");
        builder.HasIndex(r => r.IdempotencyKey).IsUnique();
        builder.HasIndex(r => r.DeliveryId);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
        builder.HasOne(r => r.Delivery).WithMany().HasForeignKey(r => r.DeliveryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(r => r.ReplayOfRunId).OnDelete(DeleteBehavior.Restrict);
    }
}
