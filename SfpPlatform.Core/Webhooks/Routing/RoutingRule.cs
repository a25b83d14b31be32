using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace SfpPlatform.Core.Webhooks.Routing;

/// <summary>
/// One routing rule: which normalised events it matches and the workflow they start. Rules are data — a project's
/// ordered list, first match wins — stored in <c>routing_rule_sets</c>, with <see cref="DefaultRoutingRules"/>
/// for projects that have none.
/// </summary>
public sealed record RoutingRule
{
    /// <summary>The normalised event: <c>push</c>, <c>pull_request</c>, <c>command</c>, <c>comment</c>, or any other
    /// event name as the provider sends it (<c>check_run</c>, <c>build.complete</c>, ...).</summary>
    public required string Event { get; init; }

    /// <summary>The normalised actions that match (null: any).</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>Branch globs (<c>*</c> within a path segment, <c>**</c> across them, <c>{default}</c> for the
    /// repository's default branch); the pushed branch, or a pull request's target branch. Null: any.</summary>
    public IReadOnlyList<string>? Branches { get; init; }

    /// <summary><c>github</c> or <c>azure-devops</c> (null: both).</summary>
    public string? Provider { get; init; }

    /// <summary>Whether draft pull requests match.</summary>
    public bool IncludeDrafts { get; init; }

    /// <summary>Whether events sent by bots match.</summary>
    public bool IncludeBots { get; init; }

    /// <summary>The workflow to run: one of <see cref="Workflows.WorkflowNames"/>.</summary>
    public required string Workflow { get; init; }
}

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
