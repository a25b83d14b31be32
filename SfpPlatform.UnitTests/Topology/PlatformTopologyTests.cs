using SfpPlatform.Topology;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Topology;

public sealed class PlatformTopologyTests
{
    private static readonly PlatformTopology Topology = PlatformTopology.Default;

    [Theory]
    [InlineData("/", ServiceNames.Web)]
    [InlineData("/index.html", ServiceNames.Web)]
    [InlineData("/sfp", ServiceNames.Web)]
    [InlineData("/sfpx", ServiceNames.Web)]
    [InlineData("/sfp/", ServiceNames.Api)]
    [InlineData("/sfp/api/health", ServiceNames.Api)]
    [InlineData("/auth/v1", ServiceNames.Web)]
    [InlineData("/auth/v1/", ServiceNames.Auth)]
    [InlineData("/auth/v1/token", ServiceNames.Auth)]
    [InlineData("/SFP/api/health", ServiceNames.Api)]
    [InlineData("/Auth/V1/token", ServiceNames.Auth)]
    public void Match_ChoosesTheServiceCaddyWould(string path, string expected)
    {
        Assert.Equal(expected, Topology.Match(path).Service);
    }

    [Theory]
    [InlineData("/health", true)]
    [InlineData("/alive", true)]
    [InlineData("/Health", true)]
    [InlineData("/health/ready", true)]
    [InlineData("/healthz", false)]
    [InlineData("/sfp/api/health", false)]
    [InlineData("/", false)]
    public void IsInternalPath_CoversProbePathsOnly(string path, bool expected)
    {
        Assert.Equal(expected, Topology.IsInternalPath(path));
    }

    [Theory]
    [InlineData("/sfp/api/health", false)]
    [InlineData("/sfp/api/health?redirect=%2F..%2Fx&a=//b", false)]
    [InlineData("/caf%C3%A9", false)]
    [InlineData("/sfp/api/%20space", false)]
    [InlineData("/sfp/api%2Fhealth", true)]
    [InlineData("/sfp/api%2fhealth", true)]
    [InlineData("/sfp%5Capi", true)]
    [InlineData("/sfp\\api", true)]
    [InlineData("/%73fp/api", true)]
    [InlineData("/sfp/api/h%65alth", true)]
    [InlineData("/sfp/%7Euser", true)]
    [InlineData("//sfp/api", true)]
    [InlineData("/sfp//api", true)]
    [InlineData("/sfp/../auth", true)]
    [InlineData("/sfp/./api", true)]
    [InlineData("/sfp/..", true)]
    [InlineData("/sfp/..?x=1", true)]
    [InlineData("/sfp/..foo/x", false)]
    public void IsRejectedTarget_RefusesNormalisationTricksInThePathOnly(string target, bool rejected)
    {
        Assert.Equal(rejected, Topology.IsRejectedTarget(target));
    }

    [Fact]
    public void Default_EndsWithExactlyOneCatchAll()
    {
        Assert.True(Topology.Routes[^1].IsCatchAll);
        Assert.Single(Topology.Routes, r => r.IsCatchAll);
    }
}
