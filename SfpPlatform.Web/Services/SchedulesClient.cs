using SfpPlatform.Contracts.Schedules;

namespace SfpPlatform.Web.Services;

/// <summary>Schedules (any role reads; owners change): <c>/sfp/api/schedules</c>.</summary>
public sealed class SchedulesClient(PlatformApi api)
{
    private const string Path = "/sfp/api/schedules";

    public Task<ApiResult<List<ScheduleSummary>>> ListAsync(CancellationToken cancellationToken = default) =>
        api.GetAsync<List<ScheduleSummary>>(Path, cancellationToken);

    public Task<ApiResult<ScheduleSummary>> CreateAsync(CreateScheduleRequest request, CancellationToken cancellationToken = default) =>
        api.PostAsync<ScheduleSummary>(Path, request, cancellationToken);

    /// <summary>Pauses (or resumes) the schedule <paramref name="name"/>.</summary>
    public Task<ApiResult<ScheduleSummary>> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken = default) =>
        api.PostAsync<ScheduleSummary>($"{Path}/{Uri.EscapeDataString(name)}/{(paused ? "pause" : "resume")}", null, cancellationToken);

    public Task<ApiProblem?> DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        api.DeleteAsync($"{Path}/{Uri.EscapeDataString(name)}", cancellationToken);
}
