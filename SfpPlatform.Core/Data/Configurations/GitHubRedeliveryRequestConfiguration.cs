using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class GitHubRedeliveryRequestConfiguration : IEntityTypeConfiguration<GitHubRedeliveryRequest>
{
    public void Configure(EntityTypeBuilder<GitHubRedeliveryRequest> builder)
    {
        builder.ToTable("github_redelivery_requests");
        builder.HasKey(r => r.DeliveryGuid);
        builder.Property(r => r.DeliveryGuid).HasMaxLength(200);
        builder.Property(r => r.Hook).HasMaxLength(400);
        builder.HasIndex(r => r.LastRequestedAt);
    }
}
