namespace SfpPlatform.Contracts.Environments;

/// <summary>One package of a release: the sfdx package, its npm artifact (<c>@project/package_sfpowerscripts_artifact</c>) and the version.</summary>
public sealed record ReleaseArtifactItem(string Package, string? NpmName, string Version);
