using SfpPlatform.Contracts.Health;

namespace SfpPlatform.Web.Services;

/// <summary>The Api's overall health: <c>/sfp/api/health</c>.</summary>
public sealed class PlatformHealthClient(PlatformApi api)
{
    /// <summary>The Api's status word; <c>Unhealthy</c> when it answers 503 or cannot be reached.</summary>
    public async Task<string> StatusAsync(CancellationToken cancellationToken = default) =>
        (await api.GetAsync<PlatformHealth>("/sfp/api/health", cancellationToken)).Value?.Status ?? "Unhealthy";
}
