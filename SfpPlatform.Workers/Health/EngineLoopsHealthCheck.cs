using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SfpPlatform.Workers.Health;

/// <summary>
/// The Workers' readiness beyond the database: unhealthy while any engine loop is stalled (<see cref="EngineProgress"/>),
/// which also covers an engine that cannot be reached — the embedded engine's loops make no progress without Postgres,
/// the Hatchet worker's heartbeat and relay none without Hatchet.
/// </summary>
public sealed class EngineLoopsHealthCheck(EngineProgress progress) : IHealthCheck
{
    public const string Name = "engine-loops";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stalled = progress.Stalled();
        return Task.FromResult(stalled.Count == 0
            ? HealthCheckResult.Healthy($"{progress.Loops} engine loops making progress")
            : HealthCheckResult.Unhealthy(string.Join("; ", stalled)));
    }
}
