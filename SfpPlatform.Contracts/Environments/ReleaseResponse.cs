namespace SfpPlatform.Contracts.Environments;

/// <summary>A release: its package versions and the sfp release definition they are kept as.</summary>
/// <param name="Source"><c>build</c> or <c>manual</c>.</param>
public sealed record ReleaseResponse(
    Guid Id, string ProjectKey, string Name, string Source, string? Branch, string? Sha, IReadOnlyList<ReleaseArtifactItem> Artifacts,
    string Definition, string CreatedBy, DateTimeOffset CreatedAt);
