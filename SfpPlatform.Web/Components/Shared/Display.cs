using System.Globalization;
using System.Text.Json.Nodes;

namespace SfpPlatform.Web.Components.Shared;

/// <summary>How the pages show values from the Api.</summary>
public static class Display
{
    public static string Text(JsonNode? node, string property) => node?[property] is JsonValue value ? value.ToString() : "";

    public static string Time(JsonNode? node, string property) =>
        DateTimeOffset.TryParse(Text(node, property), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)
            : "";

    /// <summary>From start to finish (or to now while running).</summary>
    public static string Duration(JsonNode? node, string start, string finish)
    {
        if (!DateTimeOffset.TryParse(Text(node, start), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from))
        {
            return "";
        }

        var to = DateTimeOffset.TryParse(Text(node, finish), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var end) ? end : DateTimeOffset.UtcNow;
        var span = to - from;
        return span.TotalMinutes >= 1
            ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
    }
}
