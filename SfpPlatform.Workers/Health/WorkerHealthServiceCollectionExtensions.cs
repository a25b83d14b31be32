using SfpPlatform.Core.Health;

namespace SfpPlatform.Workers.Health;

/// <summary>The Workers' health: the engine loops' readiness check and the heartbeat row (the engine registers <see cref="EngineProgress"/>).</summary>
public static class WorkerHealthServiceCollectionExtensions
{
    public static IServiceCollection AddWorkerHealth(this IServiceCollection services)
    {
        services.AddScoped<WorkerHeartbeatStore>();
        services.AddHostedService<WorkerHeartbeatWriter>();
        services.AddHealthChecks().AddCheck<EngineLoopsHealthCheck>(EngineLoopsHealthCheck.Name);
        return services;
    }
}
