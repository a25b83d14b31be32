namespace SfpPlatform.Web.Services;

/// <summary>The audit trail's filters (null: any), as the Api takes them.</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, string? Target = null, string? Outcome = null)
{
    public string Query(int pageIndex) =>
        ListQuery.Of(pageIndex, ("actor", Actor), ("action", Action), ("target", Target), ("outcome", Outcome));
}
