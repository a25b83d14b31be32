using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// What Hatchet's validators accept (commit 89d130f) and the shape of its API tokens: the rules the Hatchet stand-in
/// enforces, kept apart from the stand-in's gRPC service so the option tests can check against them without it.
/// </summary>
public static partial class HatchetGrammar
{
    /// <summary>A JWT-shaped API token whose claims name a Hatchet stand-in on that port (Hatchet's SDKs read them unverified).</summary>
    public static string CreateToken(string tenant, int port)
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = tenant,
            ["server_url"] = $"http://127.0.0.1:{port}",
            ["grpc_broadcast_address"] = $"127.0.0.1:{port}",
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
        return $"{Encode("""{"alg":"ES256","kid":"standin"}""")}.{Encode(payload)}.{Encode(Guid.NewGuid().ToString())}";
    }

    /// <summary>Hatchet's validator grammar for names (<c>hatchetName</c>).</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9\.\-_]+$")]
    public static partial Regex NamePattern { get; }

    /// <summary>Hatchet's validator grammar for durations (pkg/validator/validator.go, <c>DurationRegex</c>).</summary>
    [GeneratedRegex(@"^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ms|s|m|h))+$")]
    public static partial Regex DurationPattern { get; }

    [GeneratedRegex(@"([0-9]*\.?[0-9]*)(ms|s|m|h)")]
    private static partial Regex DurationPart { get; }

    /// <summary>A duration Hatchet accepts, as Go's time.ParseDuration reads it; null when Hatchet refuses it.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        if (!DurationPattern.IsMatch(text))
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match part in DurationPart.Matches(text))
        {
            var value = double.Parse(part.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            total += part.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return total;
    }

    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>
    /// Whether Hatchet's <c>cron</c> validator accepts <paramref name="spec"/>: robfig/cron v3's parser with
    /// <c>SecondOptional | Minute | Hour | Dom | Month | Dow</c> (pkg/validator/validator.go) — five or six fields
    /// (seconds first when six), an optional <c>TZ=</c>/<c>CRON_TZ=</c> prefix, no <c>@</c> descriptors; each field a
    /// list of <c>*</c>, <c>?</c>, values or ranges with an optional step; day of week 0-6 and month and day names
    /// (three letters, any case); no <c>L</c>, <c>W</c> or <c>#</c>. Written from robfig/cron's parser.go, independently
    /// of the platform's own validator, so the two can be checked against each other.
    /// </summary>
    public static bool IsCron(string spec)
    {
        var fields = spec.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 0 && (fields[0].StartsWith("TZ=", StringComparison.Ordinal) || fields[0].StartsWith("CRON_TZ=", StringComparison.Ordinal)))
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(fields[0][(fields[0].IndexOf('=') + 1)..], out _))
            {
                return false;
            }

            fields = fields[1..];
        }

        if (fields.Length is not (5 or 6) || fields[0].StartsWith('@'))
        {
            return false;
        }

        if (fields.Length == 5)
        {
            fields = ["0", .. fields];
        }

        (int Min, int Max, string[]? Names)[] bounds = [(0, 59, null), (0, 59, null), (0, 23, null), (1, 31, null), (1, 12, MonthNames), (0, 6, DayNames)];
        return fields.Select((field, i) => field.Split(',').All(part => IsRange(part, bounds[i].Min, bounds[i].Max, bounds[i].Names))).All(ok => ok);
    }

    private static bool IsRange(string expr, int min, int max, string[]? names)
    {
        var rangeAndStep = expr.Split('/');
        var lowAndHigh = rangeAndStep[0].Split('-');
        int start, end;
        if (lowAndHigh[0] is "*" or "?")
        {
            (start, end) = (min, max);
        }
        else
        {
            if (IntOrName(lowAndHigh[0], min, names) is not { } low || lowAndHigh.Length > 2)
            {
                return false;
            }

            start = low;
            if (lowAndHigh.Length == 1)
            {
                end = start;
            }
            else if (IntOrName(lowAndHigh[1], min, names) is { } high)
            {
                end = high;
            }
            else
            {
                return false;
            }
        }

        var step = 1;
        if (rangeAndStep.Length > 2)
        {
            return false;
        }

        if (rangeAndStep.Length == 2)
        {
            if (PositiveInt(rangeAndStep[1]) is not { } given)
            {
                return false;
            }

            step = given;
            if (lowAndHigh.Length == 1)
            {
                end = max;
            }
        }

        return start >= min && end <= max && start <= end && step > 0;
    }

    private static int? IntOrName(string text, int min, string[]? names) =>
        names is not null && Array.IndexOf(names, text.ToLowerInvariant()) is var index and >= 0 ? index + min : PositiveInt(text);

    /// <summary>Go's strconv.Atoi, then robfig's refusal of negative numbers.</summary>
    private static int? PositiveInt(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : null;
}
