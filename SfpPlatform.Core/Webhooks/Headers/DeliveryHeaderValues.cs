using Microsoft.Extensions.Primitives;

namespace SfpPlatform.Core.Webhooks.Headers;

/// <summary>Reads provider headers without allocating for the common single-valued case.</summary>
internal static class DeliveryHeaderValues
{
    /// <summary>The most characters of one header kept with a stored delivery.</summary>
    public const int MaxStoredLength = 1000;

    /// <summary>The header's value (several values joined with commas, as HTTP does), or null when absent.</summary>
    public static string? Read(IDictionary<string, StringValues> headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    /// <summary>Adds a header to the set kept with a stored delivery (clipped; absent ones are left out).</summary>
    public static void Keep(Dictionary<string, string> kept, string name, string? value)
    {
        if (value is not null)
        {
            kept[name] = value.Length <= MaxStoredLength ? value : value[..MaxStoredLength];
        }
    }
}
