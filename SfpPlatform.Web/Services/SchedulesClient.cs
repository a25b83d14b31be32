using SfpPlatform.Contracts.Schedules;

namespace SfpPlatform.Web.Services;

/// <summary>Schedules: <c>/sfp/api/schedules</c>.</summary>
public sealed class SchedulesClient(PlatformApi api)
{
    private const string Path = "/sfp/api/schedules";

    public Task<ApiResult<List<ScheduleSummary>>> ListAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<List<ScheduleSummary>>(Path, cancellationToken);
}
