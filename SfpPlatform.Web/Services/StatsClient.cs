using SfpPlatform.Contracts.Stats;

namespace SfpPlatform.Web.Services;

/// <summary>The Overview's figures: <c>/sfp/api/stats</c>.</summary>
public sealed class StatsClient(PlatformApi api)
{
    public Task<ApiResult<PlatformStats>> GetAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<PlatformStats>("/sfp/api/stats", cancellationToken);
}
