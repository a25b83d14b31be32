using SfpPlatform.Contracts.Health;

namespace SfpPlatform.Web.Services;

/// <summary>The Api's overall health (<c>/sfp/api/health</c>) and the workers' (<c>/sfp/api/health/workers</c>).</summary>
public sealed class PlatformHealthClient(PlatformApi api)
{
    /// <summary>The Api's status word; <c>Unhealthy</c> when it answers 503 or cannot be reached.</summary>
    public async Task<string> StatusAsync(CancellationToken cancellationToken = default) =>
        (await api.GetAsync<PlatformHealth>("/sfp/api/health", cancellationToken)).Value?.Status ?? "Unhealthy";

    /// <summary>Each worker's last heartbeat and the queue, with the status they add up to.</summary>
    public Task<ApiResult<WorkersHealth>> WorkersAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<WorkersHealth>("/sfp/api/health/workers", cancellationToken);
}
