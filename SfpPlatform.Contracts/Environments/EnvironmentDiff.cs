namespace SfpPlatform.Contracts.Environments;

/// <summary>The package versions of two environments side by side (null: not there).</summary>
public sealed record EnvironmentDiff(string From, string To, string? FromRelease, string? ToRelease, IReadOnlyList<PackageVersionDiff> Packages);
