namespace SfpPlatform.Topology.Services;

/// <summary>
/// A service's health check: an HTTP GET on one of its ports (the AppHost's <c>WithHttpHealthCheck</c>, compose's
/// probe inside the container), or a command (compose only; the AppHost has its own for Postgres).
/// </summary>
public sealed record HealthCheck
{
    public string? Port { get; init; }

    public string? Path { get; init; }

    public HttpProbe Probe { get; init; }

    public IReadOnlyList<string>? Command { get; init; }

    public static HealthCheck Http(string port, string path, HttpProbe probe) => new() { Port = port, Path = path, Probe = probe };

    public static HealthCheck Exec(params string[] command) => new() { Command = command };
}
