using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>One run of a workflow, as the engine records it.</summary>
public sealed class WorkflowRun
{
    public Guid Id { get; set; }

    public required string Workflow { get; set; }

    /// <summary>One of <see cref="RunStatuses"/>.</summary>
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

    /// <summary>How many times a worker has claimed the run.</summary>
    public int Attempt { get; set; }

    /// <summary>When the run may next be claimed (a retry waits out its backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The worker loop holding the run, while it runs.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Renewed by the holder's heartbeat; once past, another worker may take the run over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public bool CancelRequested { get; set; }

    public string? CurrentStep { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// A resume arrived while the run was still running (before it parked): the park puts it straight back in the queue,
    /// so a decision that lands between a step's last look and its park is not lost.
    /// </summary>
    public bool ResumeRequested { get; set; }

    /// <summary>The run's id in an external engine (Hatchet's workflow run id) once relayed there; null for the embedded engine.</summary>
    public string? EngineRunId { get; set; }
}

/// <summary>One attempt of one step of a run.</summary>
public sealed class WorkflowStepRun
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string Step { get; set; }

    public int Attempt { get; set; }

    /// <summary>One of <see cref="WorkflowStepStatus"/>.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }

    public required string Worker { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>One line of a run's log.</summary>
public sealed class WorkflowLogLine
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string Step { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Line { get; set; }
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
        builder.Property(r => r.Attempt).HasColumnName("attempt");
        builder.Property(r => r.NextAttemptAt).HasColumnName("next_attempt_at").HasDefaultValueSql("now()");
        builder.Property(r => r.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(200);
        builder.Property(r => r.LeaseExpiresAt).HasColumnName("lease_expires_at");
        builder.Property(r => r.CancelRequested).HasColumnName("cancel_requested");
        builder.Property(r => r.CurrentStep).HasColumnName("current_step").HasMaxLength(100);
        builder.Property(r => r.Error).HasColumnName("error").HasMaxLength(2000);
        builder.Property(r => r.StartedAt).HasColumnName("started_at");
        builder.Property(r => r.FinishedAt).HasColumnName("finished_at");
        builder.Property(r => r.EngineRunId).HasColumnName("engine_run_id").HasMaxLength(100);
        builder.Property(r => r.ResumeRequested).HasColumnName("resume_requested");
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

internal sealed class WorkflowStepRunConfiguration : IEntityTypeConfiguration<WorkflowStepRun>
{
    public void Configure(EntityTypeBuilder<WorkflowStepRun> builder)
    {
        builder.ToTable("workflow_step_runs");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(s => s.RunId).HasColumnName("run_id");
        builder.Property(s => s.Step).HasColumnName("step").HasMaxLength(100);
        builder.Property(s => s.Attempt).HasColumnName("attempt");
        builder.Property(s => s.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(s => s.Error).HasColumnName("error").HasMaxLength(2000);
        builder.Property(s => s.Worker).HasColumnName("worker").HasMaxLength(200);
        builder.Property(s => s.StartedAt).HasColumnName("started_at");
        builder.Property(s => s.FinishedAt).HasColumnName("finished_at");
        builder.HasIndex(s => new { s.RunId, s.Step });
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WorkflowLogLineConfiguration : IEntityTypeConfiguration<WorkflowLogLine>
{
    public void Configure(EntityTypeBuilder<WorkflowLogLine> builder)
    {
        builder.ToTable("workflow_logs");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(l => l.RunId).HasColumnName("run_id");
        builder.Property(l => l.Step).HasColumnName("step").HasMaxLength(100);
        builder.Property(l => l.At).HasColumnName("at");
        builder.Property(l => l.Line).HasColumnName("line");
        builder.HasIndex(l => new { l.RunId, l.Id });
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
