using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Webhooks;

namespace SfpPlatform.Web.Services;

/// <summary>The delivery log (owners): <c>/sfp/api/webhooks/deliveries</c>.</summary>
public sealed class DeliveriesClient(PlatformApi api)
{
    private const string Path = "/sfp/api/webhooks/deliveries";

    public Task<ApiResult<PaginatedItems<DeliverySummary>>> ListAsync(DeliveryFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken = default) =>
        api.GetAsync<PaginatedItems<DeliverySummary>>($"{Path}?{filter.Query(pageIndex)}&pageSize={pageSize}", cancellationToken);

    public Task<ApiResult<DeliveryDetail>> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.GetAsync<DeliveryDetail>($"{Path}/{id}", cancellationToken);

    /// <summary>Routes the delivery again under the current rules: the new run.</summary>
    public Task<ApiResult<DeliveryRun>> ReplayAsync(Guid id, CancellationToken cancellationToken = default) =>
        api.PostAsync<DeliveryRun>($"{Path}/{id}/replay", null, cancellationToken);
}
