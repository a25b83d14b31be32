using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.Credentials;

/// <summary>One decryption of a stored secret (or an attempt): which, why, by whom, when. Never the secret.</summary>
public sealed class CredentialAuditEntry
{
    public long Id { get; set; }

    public Guid IntegrationId { get; set; }

    public required string Purpose { get; set; }

    public required string Caller { get; set; }

    /// <summary><c>decrypted</c>, or why it failed (<c>wrong-key</c>, <c>missing-key</c>).</summary>
    public required string Outcome { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class CredentialAuditEntryConfiguration : IEntityTypeConfiguration<CredentialAuditEntry>
{
    public void Configure(EntityTypeBuilder<CredentialAuditEntry> builder)
    {
        builder.ToTable("credential_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(a => a.IntegrationId).HasColumnName("integration_id");
        builder.Property(a => a.Purpose).HasColumnName("purpose").HasMaxLength(100);
        builder.Property(a => a.Caller).HasColumnName("caller").HasMaxLength(200);
        builder.Property(a => a.Outcome).HasColumnName("outcome").HasMaxLength(32);
        builder.Property(a => a.At).HasColumnName("at").HasDefaultValueSql("now()");
        builder.HasIndex(a => new { a.IntegrationId, a.At });
    }
}
