namespace SfpPlatform.Contracts.Health;

/// <summary>
/// <c>GET /sfp/api/health</c>: one overall status word (<c>Healthy</c>, <c>Degraded</c> or <c>Unhealthy</c>, the last
/// with a 503), no check names, timings or exceptions.
/// </summary>
public sealed record PlatformHealth(string Status);
