using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Runs;

namespace SfpPlatform.Web.Services;

/// <summary>Workflow runs: <c>/sfp/api/runs</c>.</summary>
public sealed class RunsClient(PlatformApi api)
{
    private const string Path = "/sfp/api/runs";

    public Task<ApiResult<PaginatedItems<RunSummary>>> ListAsync(RunFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken = default) =>
        api.GetAsync<PaginatedItems<RunSummary>>($"{Path}?{filter.Query(pageIndex)}&pageSize={pageSize}", cancellationToken);

    public Task<ApiResult<RunDetail>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<RunDetail>($"{Path}/{id}", cancellationToken);

    /// <summary>The run's log lines after the line <paramref name="afterId"/> (0: from the start).</summary>
    public Task<ApiResult<RunLog>> LogsAsync(Guid id, long afterId, CancellationToken cancellationToken = default) =>
        api.GetAsync<RunLog>($"{Path}/{id}/logs?afterId={afterId}", cancellationToken);

    public Task<ApiResult<RunSummary>> CancelAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.PostAsync<RunSummary>($"{Path}/{id}/cancel", null, cancellationToken);
}
