using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.Webhooks.Routing;

/// <summary>A project's routing rules, replacing the defaults for that project.</summary>
public sealed class RoutingRuleSet
{
    public required string ProjectKey { get; set; }

    /// <summary>The rules as JSON: an array of <see cref="RoutingRule"/> (web casing).</summary>
    public required JsonDocument Rules { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public IReadOnlyList<RoutingRule> Parse() => Rules.Deserialize<List<RoutingRule>>(JsonOptions) ?? [];

    /// <summary>Rules stored as JSON text (as read with a raw query).</summary>
    public static IReadOnlyList<RoutingRule> Parse(string json) => JsonSerializer.Deserialize<List<RoutingRule>>(json, JsonOptions) ?? [];
}

internal sealed class RoutingRuleSetConfiguration : IEntityTypeConfiguration<RoutingRuleSet>
{
    public void Configure(EntityTypeBuilder<RoutingRuleSet> builder)
    {
        builder.ToTable("routing_rule_sets");
        builder.HasKey(s => s.ProjectKey);
        builder.Property(s => s.ProjectKey).HasColumnName("project_key").HasMaxLength(100);
        builder.Property(s => s.Rules).HasColumnName("rules").HasColumnType("jsonb");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
    }
}
