namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// Valid JSON that Postgres cannot hold as text: <c>\u0000</c> (text and <c>jsonb</c> refuse NUL) and an escaped lone
/// surrogate (<c>\ud800</c> alone is valid JSON, but no UTF-8 text; <c>jsonb</c> refuses it and System.Text.Json will
/// not read it as a string). The raw body is stored byte for byte as it came (the signature covers it); everything
/// derived from it — the normalised event, the run input, the columns — is read from a copy in which each such
/// escape is replaced by <c>\ufffd</c> (U+FFFD, the replacement character). Each replacement has the escape's length,
/// so byte positions stay those of the raw body.
/// </summary>
public static class StorableJson
{
    private static readonly byte[] Replacement = "\\ufffd"u8.ToArray();

    /// <summary>The body itself when nothing needs replacing (the common case: no copy), else a replaced copy.</summary>
    public static ReadOnlyMemory<byte> Normalize(ReadOnlyMemory<byte> body)
    {
        byte[]? copy = null;
        var span = body.Span;
        var i = span.IndexOf((byte)'\\');
        while (i >= 0 && i + 1 < span.Length)
        {
            if (span[i + 1] != (byte)'u')
            {
                // Any other escape is two bytes (\" \\ \/ \b \f \n \r \t); skipping both keeps \\u out of the way.
                i = Next(span, i + 2);
                continue;
            }

            if (Hex(span, i + 2) is not { } unit)
            {
                i = Next(span, i + 2);
                continue;
            }

            var width = 6;
            var replace = unit == 0 || char.IsLowSurrogate((char)unit);
            if (char.IsHighSurrogate((char)unit))
            {
                var pairs = i + 11 < span.Length && span[i + 6] == (byte)'\\' && span[i + 7] == (byte)'u'
                    && Hex(span, i + 8) is { } low && char.IsLowSurrogate((char)low);
                replace = !pairs;
                width = pairs ? 12 : 6;
            }

            if (replace)
            {
                copy ??= body.ToArray();
                Replacement.CopyTo(copy.AsSpan(i));
            }

            i = Next(span, i + width);
        }

        return copy ?? body;
    }

    private static int Next(ReadOnlySpan<byte> span, int from)
    {
        if (from >= span.Length)
        {
            return -1;
        }

        var next = span[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    private static int? Hex(ReadOnlySpan<byte> span, int at)
    {
        if (at + 4 > span.Length)
        {
            return null;
        }

        var value = 0;
        foreach (var b in span.Slice(at, 4))
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return null;
            }

            value = (value << 4) | digit;
        }

        return value;
    }
}
