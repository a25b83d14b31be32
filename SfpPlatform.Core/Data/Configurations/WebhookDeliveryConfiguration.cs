using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Provider).HasMaxLength(32);
        builder.Property(d => d.DeliveryId).HasMaxLength(200);
        builder.Property(d => d.Event).HasMaxLength(100);
        builder.Property(d => d.Action).HasMaxLength(100);
        builder.Property(d => d.Repository).HasMaxLength(300);
        builder.Property(d => d.Organization).HasMaxLength(300);
        builder.Property(d => d.ProjectKey).HasMaxLength(100);
        builder.Property(d => d.Headers).HasColumnType("jsonb");
        builder.Property(d => d.Status).HasMaxLength(16);
        builder.Property(d => d.Reason).HasMaxLength(500);
        builder.Property(d => d.Workflow).HasMaxLength(64);
        builder.HasIndex(d => new { d.Provider, d.DeliveryId }).IsUnique();
        builder.HasIndex(d => new { d.ReceivedAt, d.Id });
        builder.HasIndex(d => d.Repository);
    }
}
