using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SfpPlatform.Core.Workflows.Hatchet;

/// <summary>
/// How the platform reaches Hatchet (<c>Hatchet</c> section), checked by <see cref="HatchetOptionsValidator"/>. The API
/// token is a JWT whose <c>grpc_broadcast_address</c> claim names the gRPC address (overridable here); the platform
/// speaks only gRPC, so the tenant (<c>sub</c>) and REST URL (<c>server_url</c>) claims are not needed.
/// </summary>
public sealed partial class HatchetOptions
{
    public const string SectionName = "Hatchet";

    /// <summary>TLS to Hatchet's gRPC endpoint (the default).</summary>
    public const string Tls = "tls";

    /// <summary>Plain-text HTTP/2, as hatchet-lite serves gRPC with <c>SERVER_GRPC_INSECURE=t</c>.</summary>
    public const string NoTls = "none";

    /// <summary>The API token (secret): sent as <c>authorization: Bearer</c> on every call.</summary>
    public string Token { get; set; } = "";

    /// <summary>host:port of Hatchet's gRPC endpoint (default: the token's <c>grpc_broadcast_address</c>).</summary>
    public string? GrpcAddress { get; set; }

    /// <summary><see cref="Tls"/> (default) or <see cref="NoTls"/>; nothing else.</summary>
    public string TlsStrategy { get; set; } = Tls;

    /// <summary>This worker's name in Hatchet, matching <see cref="WorkerNamePattern"/> (default: host name and process id).</summary>
    public string? WorkerName { get; set; }

    /// <summary>How many steps this worker runs at once.</summary>
    public int Slots { get; set; } = 4;

    /// <summary>Hatchet expects a heartbeat every 4 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// The timeout each task is registered with: Hatchet retries a task whose worker stops refreshing it for this long
    /// (the lease, as in the embedded engine). A running step refreshes it every third of it, each time by the time
    /// since the last refresh (Hatchet adds the increment), so it stays one lease ahead; the step's own timeout is
    /// enforced by the worker.
    /// </summary>
    public TimeSpan TaskLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before reconnecting a dropped stream or retrying a refused call; grows up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The relay's polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The names Hatchet accepts for workers, tasks and services (its validator's <c>hatchetName</c>).</summary>
    [GeneratedRegex(@"^[a-zA-Z0-9.\-_]+$")]
    public static partial Regex WorkerNamePattern { get; }

    /// <summary>The name this worker registers with: the configured one, else host name and process id made acceptable to Hatchet.</summary>
    public string EffectiveWorkerName => WorkerName ?? DefaultWorkerName(Environment.MachineName, Environment.ProcessId);

    /// <summary><c>host-pid</c>, every character Hatchet refuses in a name replaced by <c>-</c>.</summary>
    public static string DefaultWorkerName(string host, int processId)
    {
        var name = new StringBuilder(host.Length + 12);
        foreach (var c in $"{host}-{processId.ToString(CultureInfo.InvariantCulture)}")
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        return name.ToString();
    }

    /// <summary>The gRPC address in effect: configuration, else the token's claim.</summary>
    public Uri ResolveGrpcAddress()
    {
        var address = GrpcAddress ?? Claim("grpc_broadcast_address")
            ?? throw new InvalidOperationException("Hatchet:GrpcAddress is not set and the token names no grpc_broadcast_address.");
        var scheme = TlsStrategy == NoTls ? "http" : "https";
        return new Uri(address.Contains("://", StringComparison.Ordinal) ? address : $"{scheme}://{address}");
    }

    /// <summary>A claim of the token's payload (read, not verified: Hatchet verifies it); null when the token is not a JWT.</summary>
    public string? Claim(string name) =>
        Payload() is { } payload && payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The token's payload when it is a JWT (three base64url parts, the middle one a JSON object); else null.</summary>
    public JsonElement? Payload()
    {
        var parts = Token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Hatchet's action id for a step: <c>workflow:step</c>, lower case (as the engine registers them).</summary>
    public static string ActionId(string workflow, string step) => $"{workflow}:{step}".ToLowerInvariant();

    /// <summary>A duration as Hatchet's validator reads it (<c>^\d+(ms|s|m|h)…$</c>): whole seconds, rounded up ("90s").</summary>
    public static string Duration(TimeSpan duration) =>
        $"{Math.Max(1, (long)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s";

    /// <summary>A duration in whole milliseconds, rounded up ("1500ms"): what a timeout refresh adds.</summary>
    public static string Milliseconds(TimeSpan duration) =>
        $"{Math.Max(1, (long)Math.Ceiling(duration.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)}ms";
}
