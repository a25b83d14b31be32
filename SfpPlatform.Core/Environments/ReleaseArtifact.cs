namespace SfpPlatform.Core.Environments;

/// <summary>One package of a release: the sfdx package, its npm artifact and the version.</summary>
public sealed record ReleaseArtifact(string Package, string NpmName, string Version);
