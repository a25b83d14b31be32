using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class GitHubDeliveryCursorConfiguration : IEntityTypeConfiguration<GitHubDeliveryCursor>
{
    public void Configure(EntityTypeBuilder<GitHubDeliveryCursor> builder)
    {
        builder.ToTable("github_delivery_cursors");
        builder.HasKey(c => c.Hook);
        builder.Property(c => c.Hook).HasMaxLength(400);
    }
}
