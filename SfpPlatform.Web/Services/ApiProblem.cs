namespace SfpPlatform.Web.Services;

/// <summary>A problem the Api reported: its title and detail, and field-level messages keyed by field path.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public string? For(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public string Summary => Detail is { Length: > 0 } ? $"{Title}: {Detail}" : Title;

    /// <summary>A problem found before asking the Api (the answer it would give is not needed to know).</summary>
    public static ApiProblem Local(string title, string? detail = null) => new(400, title, detail, new Dictionary<string, string[]>());
}
