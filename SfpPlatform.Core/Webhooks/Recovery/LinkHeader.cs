namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>GitHub's pagination header: <c>&lt;https://api.github.com/...&amp;cursor=v1_123&gt;; rel="next", &lt;...&gt;; rel="prev"</c>.</summary>
public static class LinkHeader
{
    /// <summary>The <c>rel="next"</c> address, resolved against <paramref name="requested"/>; null on the last page.</summary>
    public static Uri? Next(string? header, Uri requested)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        foreach (var part in header.Split(','))
        {
            var pieces = part.Split(';');
            var target = pieces[0].Trim();
            if (target.Length < 2 || target[0] != '<' || target[^1] != '>')
            {
                continue;
            }

            var isNext = pieces.Skip(1).Any(p => p.Trim().Replace(" ", "", StringComparison.Ordinal) is "rel=\"next\"" or "rel=next");
            if (isNext && Uri.TryCreate(requested, target[1..^1], out var next))
            {
                return next;
            }
        }

        return null;
    }
}
