namespace SfpPlatform.Contracts.Webhooks;

/// <summary>
/// A <c>/sfp &lt;command&gt; [args]</c> line at the start of a pull-request comment. An unknown command is still a
/// command (<see cref="Known"/> false): the command workflow answers it with help.
/// </summary>
public sealed record SfpCommand(string Name, IReadOnlyList<string> Args, bool Known)
{
    public const string Prefix = "/sfp";

    public static readonly IReadOnlyList<string> KnownCommands = ["validate", "review-env", "extend", "release-env", "deploy", "approve", "reject", "unlock", "help"];

    private const int MaxArgs = 20;
    private const int MaxTokenLength = 200;

    /// <summary>Parses the first non-blank line of <paramref name="body"/>; null when it is not an <c>/sfp</c> command.</summary>
    public static SfpCommand? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var line = body.AsSpan().TrimStart();
        var end = line.IndexOfAny('\r', '\n');
        line = (end < 0 ? line : line[..end]).Trim();
        if (!line.StartsWith(Prefix, StringComparison.Ordinal) || (line.Length > Prefix.Length && !char.IsWhiteSpace(line[Prefix.Length])))
        {
            return null;
        }

        var tokens = line[Prefix.Length..].ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (tokens.Length == 0)
        {
            return new SfpCommand("help", [], Known: true);
        }

        var name = Truncate(tokens[0]).ToLowerInvariant();
        var args = tokens.Skip(1).Take(MaxArgs).Select(Truncate).ToArray();
        return new SfpCommand(name, args, KnownCommands.Contains(name));
    }

    private static string Truncate(string token) => token.Length <= MaxTokenLength ? token : token[..MaxTokenLength];
}
