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

}
