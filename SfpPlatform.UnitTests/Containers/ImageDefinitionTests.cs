using System.Text.RegularExpressions;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.UnitTests.Containers;

/// <summary>containers/Dockerfile builds every image compose names, from pinned bases, as a non-root user, with a health check.</summary>
public sealed partial class ImageDefinitionTests
{
    private static string Dockerfile => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "containers", "Dockerfile"));

    [Fact]
    public void EveryPlatformImage_HasATarget_RunAsNonRoot()
    {
        var stages = Stage().Matches(Dockerfile).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value);
        foreach (var service in PlatformServices.Deployment.Services.Where(s => s.Kind == ServiceKind.Project))
        {
            Assert.Equal("sfp-" + service.Name, service.Image.Repository);
            Assert.True(stages.TryGetValue(service.Name, out var body), $"no '{service.Name}' target for {service.Image.Repository}");
            Assert.Matches(@"USER \$APP_UID", body);
            Assert.Contains($"SfpPlatform.{char.ToUpperInvariant(service.Name[0])}{service.Name[1..]}.dll", body, StringComparison.Ordinal);
        }

        Assert.Contains("HEALTHCHECK", stages["runtime"], StringComparison.Ordinal);
    }

    [Fact]
    public void BaseImages_ArePinnedToExactVersions()
    {
        var bases = BaseImage().Matches(Dockerfile).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, bases.Count);
        Assert.All(bases, image => Assert.Matches(@":\d+\.\d+\.\d+(-[a-z0-9-]+)?$", image));
        Assert.Contains(bases, b => b.StartsWith("mcr.microsoft.com/dotnet/sdk:" + SdkVersion(), StringComparison.Ordinal));
        Assert.Contains(bases, b => b.StartsWith("node:20.", StringComparison.Ordinal));
    }

    [Fact]
    public void Workers_InstallTheSfpCliAsLocked_AndUseOnlyThePlatformsRegistry()
    {
        Assert.Contains("COPY tools/sfp/package.json tools/sfp/package-lock.json ./", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("npm ci", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("registry=http://verdaccio:4873/", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("registry.npmjs.org", Dockerfile, StringComparison.Ordinal);
    }

    private static string SdkVersion() =>
        Regex.Match(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "global.json")), "\"version\":\\s*\"([^\"]+)\"").Groups[1].Value;

    [GeneratedRegex(@"^FROM \S+ AS (?<name>[a-z-]+)\n(?<body>(?:(?!^FROM ).*\n?)*)", RegexOptions.Multiline)]
    private static partial Regex Stage();

    [GeneratedRegex(@"^ARG [A-Z_]+_IMAGE=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex BaseImage();
}
