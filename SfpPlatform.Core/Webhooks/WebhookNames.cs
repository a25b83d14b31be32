using System.Buffers;

namespace SfpPlatform.Core.Webhooks;

/// <summary>The shape of the names a delivery carries (event names, delivery ids): checked without allocating.</summary>
public static class WebhookNames
{
    public const string Allowed = "letters, digits, '.', '_' or '-'";

    private static readonly SearchValues<char> Characters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>1 to <paramref name="maxLength"/> ASCII letters, digits, '.', '_' or '-'.</summary>
    public static bool IsName(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && !value.AsSpan().ContainsAnyExcept(Characters);
}
