using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Audit;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(a => a.At).HasColumnName("at");
        builder.Property(a => a.Actor).HasColumnName("actor").HasMaxLength(200);
        builder.Property(a => a.ActorRole).HasColumnName("actor_role").HasMaxLength(32);
        builder.Property(a => a.Action).HasColumnName("action").HasMaxLength(64);
        builder.Property(a => a.Target).HasColumnName("target").HasMaxLength(300);
        builder.Property(a => a.Outcome).HasColumnName("outcome").HasMaxLength(32);
        builder.Property(a => a.Detail).HasColumnName("detail").HasMaxLength(AuditEntry.MaxDetailLength);
        builder.HasIndex(a => a.At);
        builder.HasIndex(a => new { a.Action, a.At });
        builder.HasIndex(a => new { a.Actor, a.At });
    }
}
