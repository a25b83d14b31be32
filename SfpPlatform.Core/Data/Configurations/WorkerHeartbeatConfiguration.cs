using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Health;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WorkerHeartbeatConfiguration : IEntityTypeConfiguration<WorkerHeartbeat>
{
    public void Configure(EntityTypeBuilder<WorkerHeartbeat> builder)
    {
        builder.ToTable("worker_heartbeats");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.Name).HasMaxLength(200);
        builder.Property(w => w.Host).HasMaxLength(200);
        builder.Property(w => w.Engine).HasMaxLength(20);
        builder.Property(w => w.Version).HasMaxLength(100);
        builder.Property(w => w.Problem).HasMaxLength(1000);
        // The purge and the Overview's list read by age.
        builder.HasIndex(w => w.LastHeartbeat);
    }
}
