using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Audit;

namespace SfpPlatform.Web.Services;

/// <summary>The audit trail: <c>/sfp/api/audit</c> (owners).</summary>
public sealed class AuditClient(PlatformApi api)
{
    public const string Path = "/sfp/api/audit";

    public Task<ApiResult<PaginatedItems<AuditEntryResponse>>> ListAsync(AuditFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken = default) =>
        api.GetAsync<PaginatedItems<AuditEntryResponse>>($"{Path}?{filter.Query(pageIndex)}&pageSize={pageSize}", cancellationToken);
}
