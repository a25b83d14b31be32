namespace SfpPlatform.Contracts.Webhooks;

/// <summary>
/// One routing rule: which normalised events it matches and the workflow they start. Rules are data: a project's
/// ordered list (first match wins), or the defaults for projects that have none.
/// </summary>
public sealed record RoutingRule
{
    /// <summary>The normalised event: <c>push</c>, <c>pull_request</c>, <c>command</c>, <c>comment</c>, or any other
    /// event name as the provider sends it (<c>check_run</c>, <c>build.complete</c>, ...).</summary>
    public required string Event { get; init; }

    /// <summary>The normalised actions that match (null: any).</summary>
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>Branch globs (<c>*</c> within a path segment, <c>**</c> across them, <c>{default}</c> for the
    /// repository's default branch); the pushed branch, or a pull request's target branch. Null: any.</summary>
    public IReadOnlyList<string>? Branches { get; init; }

    /// <summary><c>github</c> or <c>azure-devops</c> (null: both).</summary>
    public string? Provider { get; init; }

    /// <summary>Whether draft pull requests match.</summary>
    public bool IncludeDrafts { get; init; }

    /// <summary>Whether events sent by bots match.</summary>
    public bool IncludeBots { get; init; }

    /// <summary>The workflow to run (<c>build</c>, <c>validate</c>, ...).</summary>
    public required string Workflow { get; init; }
}
