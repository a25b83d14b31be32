namespace SfpPlatform.Core.Data;

/// <summary>Text as a column holds it: clipped to the column's length without splitting a surrogate pair.</summary>
public static class StoredText
{
    /// <summary>
    /// At most <paramref name="length"/> characters. A cut that would leave half of a surrogate pair (an emoji at
    /// the boundary) drops the half: a lone surrogate is not UTF-8, and Postgres (through Npgsql) refuses it.
    /// </summary>
    public static string Clip(string value, int length)
    {
        if (value.Length <= length)
        {
            return value;
        }

        var cut = length > 0 && char.IsHighSurrogate(value[length - 1]) ? length - 1 : length;
        return value[..cut];
    }

    /// <inheritdoc cref="Clip(string, int)"/>
    public static string? ClipOrNull(string? value, int length) => value is null ? null : Clip(value, length);
}
