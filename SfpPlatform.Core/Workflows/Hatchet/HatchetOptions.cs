using System.Text;
using System.Text.Json;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// How the platform reaches Hatchet (<c>Hatchet</c> section). The API token is a JWT whose
/// <c>grpc_broadcast_address</c> claim names the gRPC address (overridable here); the platform speaks only gRPC, so
/// the tenant (<c>sub</c>) and REST URL (<c>server_url</c>) claims are not needed.
/// </summary>
public sealed class HatchetOptions
{
    public const string SectionName = "Hatchet";

    /// <summary>The Hatchet API token (secret): sent as <c>authorization: Bearer</c> on every call.</summary>
    public string Token { get; set; } = "";

    /// <summary>host:port of Hatchet's gRPC endpoint (default: the token's <c>grpc_broadcast_address</c>).</summary>
    public string? GrpcAddress { get; set; }

    /// <summary><c>tls</c> (default) or <c>none</c> (plain HTTP/2, as hatchet-lite serves gRPC).</summary>
    public string TlsStrategy { get; set; } = "tls";

    /// <summary>This worker's name in Hatchet (default: host name and process id).</summary>
    public string? WorkerName { get; set; }

    /// <summary>How many steps this worker runs at once.</summary>
    public int Slots { get; set; } = 4;

    /// <summary>Hatchet expects a heartbeat every 4 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The timeout each task is registered with: Hatchet retries a task whose worker stops refreshing it for this long
    /// (the lease, as in the embedded engine). A running step refreshes it every third of it; the step's own timeout is
    /// enforced by the worker.
    /// </summary>
    public TimeSpan TaskLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before reconnecting a dropped stream or retrying a refused call; doubles up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The relay's polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The gRPC address in effect: configuration, else the token's claim.</summary>
    public Uri ResolveGrpcAddress()
    {
        var address = GrpcAddress ?? Claim("grpc_broadcast_address")
            ?? throw new InvalidOperationException("Hatchet:GrpcAddress is not set and the token names no grpc_broadcast_address.");
        var scheme = string.Equals(TlsStrategy, "none", StringComparison.OrdinalIgnoreCase) ? "http" : "https";
        return new Uri(address.Contains("://", StringComparison.Ordinal) ? address : $"{scheme}://{address}");
    }

    /// <summary>A claim of the token's payload (read, not verified: Hatchet verifies it).</summary>
    public string? Claim(string name)
    {
        var parts = Token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Hatchet's action id for a step: <c>workflow:step</c>, lower case (as the engine registers them).</summary>
    public static string ActionId(string workflow, string step) => $"{workflow}:{step}".ToLowerInvariant();

    /// <summary>A duration as Hatchet reads it ("90s").</summary>
    public static string Duration(TimeSpan duration) =>
        $"{Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)}s";
}
