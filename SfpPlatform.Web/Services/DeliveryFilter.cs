namespace SfpPlatform.Web.Services;

/// <summary>The delivery log's filters (null: any), as the Api takes them.</summary>
public sealed record DeliveryFilter(string? Provider = null, string? Status = null, string? Repository = null, string? Event = null, bool? Recovered = null)
{
    /// <summary>The query string of one page under these filters (also the page's own link).</summary>
    public string Query(int pageIndex) =>
        ListQuery.Of(pageIndex, ("provider", Provider), ("status", Status), ("repository", Repository), ("event", Event),
            ("recovered", Recovered is { } recovered ? (recovered ? "true" : "false") : null));
}
