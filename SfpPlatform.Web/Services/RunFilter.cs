namespace SfpPlatform.Web.Services;

/// <summary>The runs list's filters (null: any), as the Api takes them.</summary>
public sealed record RunFilter(string? Workflow = null, string? Status = null, string? ProjectKey = null)
{
    /// <summary>The query string of one page under these filters (also the page's own link).</summary>
    public string Query(int pageIndex) => ListQuery.Of(pageIndex, ("workflow", Workflow), ("status", Status), ("projectKey", ProjectKey));
}
