using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WorkflowLogLineConfiguration : IEntityTypeConfiguration<WorkflowLogLine>
{
    public void Configure(EntityTypeBuilder<WorkflowLogLine> builder)
    {
        builder.ToTable("workflow_logs");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.Id).UseIdentityAlwaysColumn();
        builder.Property(l => l.Step).HasMaxLength(100);
        builder.HasIndex(l => new { l.RunId, l.Id });
        builder.HasOne<WorkflowRun>().WithMany().HasForeignKey(l => l.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
