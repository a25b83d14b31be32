using System.Globalization;
using System.Text.Json;

namespace SfpPlatform.Web.Components.Shared;

/// <summary>How the pages show values from the Api.</summary>
public static class Display
{
    /// <summary>JSON as the pages show it (a delivery's payload, a project's rules): web casing, indented.</summary>
    public static readonly JsonSerializerOptions IndentedJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Time(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>From start to finish (or to now while running).</summary>
    public static string Duration(DateTimeOffset? start, DateTimeOffset? finish)
    {
        if (start is not { } from)
        {
            return "";
        }

        var span = (finish ?? DateTimeOffset.UtcNow) - from;
        return span.TotalMinutes >= 1
            ? $"{(int)span.TotalMinutes} min {span.Seconds} s"
            : $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
    }

    /// <summary>A number of seconds as the pages show durations.</summary>
    public static string Duration(double seconds) => Duration(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(seconds));

    /// <summary>The first 8 characters of an id, enough to tell runs apart in a list.</summary>
    public static string ShortId(Guid id) => id.ToString()[..8];
}
