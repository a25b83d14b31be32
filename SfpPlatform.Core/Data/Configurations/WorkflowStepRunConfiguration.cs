using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WorkflowStepRunConfiguration : IEntityTypeConfiguration<WorkflowStepRun>
{
    public void Configure(EntityTypeBuilder<WorkflowStepRun> builder)
    {
        builder.ToTable("workflow_step_runs");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).UseIdentityAlwaysColumn();
        builder.Property(s => s.Step).HasMaxLength(100);
        builder.Property(s => s.Status).HasMaxLength(16);
        builder.Property(s => s.Error).HasMaxLength(2000);
        builder.Property(s => s.Worker).HasMaxLength(200);
        builder.HasIndex(s => new { s.RunId, s.Step });
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
