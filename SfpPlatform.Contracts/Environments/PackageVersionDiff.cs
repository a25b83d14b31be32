namespace SfpPlatform.Contracts.Environments;

/// <summary>One package in a diff of two environments.</summary>
public sealed record PackageVersionDiff(string Package, string? From, string? To, bool Differs);
