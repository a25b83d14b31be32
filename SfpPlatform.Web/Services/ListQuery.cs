namespace SfpPlatform.Web.Services;

/// <summary>The query string of a list page: its index and each filter that has a value.</summary>
public static class ListQuery
{
    public static string Of(int pageIndex, params (string Name, string? Value)[] filters) =>
        string.Join('&', filters.Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value!)}")
            .Prepend($"pageIndex={pageIndex}"));
}
