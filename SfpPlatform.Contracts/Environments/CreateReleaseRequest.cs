namespace SfpPlatform.Contracts.Environments;

/// <summary>A release chosen by hand: a name and package versions already published to the platform's registry.</summary>
public sealed record CreateReleaseRequest(string? Name, IReadOnlyList<ReleaseArtifactItem>? Artifacts);
