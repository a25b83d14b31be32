using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Credentials;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class CredentialAuditEntryConfiguration : IEntityTypeConfiguration<CredentialAuditEntry>
{
    public void Configure(EntityTypeBuilder<CredentialAuditEntry> builder)
    {
        builder.ToTable("credential_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.Purpose).HasMaxLength(100);
        builder.Property(a => a.Caller).HasMaxLength(200);
        builder.Property(a => a.Outcome).HasMaxLength(32);
        builder.Property(a => a.At).HasDefaultValueSql("now()");
        builder.HasIndex(a => new { a.IntegrationId, a.At });
    }
}
