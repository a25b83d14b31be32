namespace SfpPlatform.Contracts.Environments;

/// <summary>Deploys a release to an environment; without <paramref name="Release"/>, promotes the release now in the previous environment.</summary>
public sealed record DeployRequest(string? Release = null);
