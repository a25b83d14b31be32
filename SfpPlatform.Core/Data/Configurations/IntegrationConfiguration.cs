using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.ToTable("integrations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Kind).HasMaxLength(32);
        builder.Property(i => i.Name).HasMaxLength(100);
        builder.Property(i => i.ProjectKey).HasMaxLength(100);
        builder.Property(i => i.Settings).HasColumnType("jsonb");
        builder.Property(i => i.KeyId).HasMaxLength(64);
        builder.Property(i => i.SecretFingerprint).HasMaxLength(80);
        builder.HasIndex(i => new { i.ProjectKey, i.Name }).IsUnique().AreNullsDistinct(false);
        builder.HasIndex(i => i.KeyId);
    }
}
