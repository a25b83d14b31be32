using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SfpPlatform.Core.Webhooks.Routing;

namespace SfpPlatform.Core.Data.Configurations;

internal sealed class RoutingRuleSetConfiguration : IEntityTypeConfiguration<RoutingRuleSet>
{
    public void Configure(EntityTypeBuilder<RoutingRuleSet> builder)
    {
        builder.ToTable("routing_rule_sets");
        builder.HasKey(s => s.ProjectKey);
        builder.Property(s => s.ProjectKey).HasMaxLength(100);
        builder.Property(s => s.Rules).HasColumnType("jsonb");
    }
}
