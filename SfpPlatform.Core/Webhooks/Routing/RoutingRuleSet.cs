using System.Text.Json;

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
