using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WorkflowScheduleConfiguration : IEntityTypeConfiguration<WorkflowSchedule>
{
    public void Configure(EntityTypeBuilder<WorkflowSchedule> builder)
    {
        builder.ToTable("workflow_schedules");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Name).HasMaxLength(ScheduleStore.MaxNameLength);
        builder.Property(s => s.Workflow).HasMaxLength(64);
        builder.Property(s => s.Input).HasColumnType("jsonb");
        builder.Property(s => s.ProjectKey).HasMaxLength(100);
        builder.Property(s => s.Cron).HasMaxLength(200);
        builder.Property(s => s.Owner).HasMaxLength(16);
        builder.HasIndex(s => s.Name).IsUnique();
        // The scheduler's query: schedules due now.
        builder.HasIndex(s => s.NextRunAt).HasFilter("NOT paused AND next_run_at IS NOT NULL").HasDatabaseName("ix_workflow_schedules_due");
    }
}
