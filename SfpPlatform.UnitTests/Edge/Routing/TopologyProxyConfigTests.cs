using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SfpPlatform.Topology;
using SfpPlatform.Edge.Routing;
using Yarp.ReverseProxy.Configuration;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Edge.Routing;

public sealed class TopologyProxyConfigTests
{
    private static IConfiguration Discovered(params string[] services) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(services.Select(s =>
                new KeyValuePair<string, string?>($"services:{s}:http:0", $"http://127.0.0.1:1{s.Length}")))
            .Build();

    [Fact]
    public async Task Build_WithEveryServiceDiscovered_PassesYarpValidation()
    {
        var (routes, clusters) = TopologyProxyConfig.Build(
            PlatformTopology.Default, Discovered(ServiceNames.Api, ServiceNames.Web, ServiceNames.Auth));
        var validator = new ServiceCollection().AddLogging().AddReverseProxy().Services
            .BuildServiceProvider().GetRequiredService<IConfigValidator>();

        foreach (var route in routes)
        {
            Assert.Empty(await validator.ValidateRouteAsync(route));
        }

        foreach (var cluster in clusters)
        {
            Assert.Empty(await validator.ValidateClusterAsync(cluster));
        }

        Assert.Equal(
            [ServiceNames.Auth, ServiceNames.Api, ServiceNames.Web],
            clusters.Select(c => c.ClusterId));
    }

    [Fact]
    public void Build_PrefixRoutes_ForwardBelowThePrefixAndSendTheBarePrefixToTheCatchAll()
    {
        var (routes, _) = TopologyProxyConfig.Build(
            PlatformTopology.Default, Discovered(ServiceNames.Api, ServiceNames.Web, ServiceNames.Auth));

        var api = Assert.Single(routes, r => r.RouteId == "api");
        Assert.Equal("/sfp/{**rest}", api.Match.Path);
        Assert.Equal(ServiceNames.Api, api.ClusterId);
        Assert.DoesNotContain(api.Transforms!, t => t.ContainsKey("PathRemovePrefix"));
        Assert.Equal(TopologyProxyConfig.PublicListener, api.Metadata![TopologyProxyConfig.ListenerKey]);

        var bare = Assert.Single(routes, r => r.RouteId == "api-bare");
        Assert.Equal("/sfp", bare.Match.Path);
        Assert.Equal(ServiceNames.Web, bare.ClusterId);
        Assert.True(bare.Order < api.Order);
        Assert.Equal("/sfp", bare.Metadata![TopologyProxyConfig.ExactPathKey]);

        var auth = Assert.Single(routes, r => r.RouteId == "auth");
        Assert.Contains(auth.Transforms!, t => t.GetValueOrDefault("PathRemovePrefix") == "/auth/v1");
        Assert.All(routes, r => Assert.Contains(r.Transforms!, t => t.GetValueOrDefault("RequestHeaderOriginalHost") == "True"));

        Assert.Equal(int.MaxValue, Assert.Single(routes, r => r.RouteId == "web").Order);
    }

    [Fact]
    public void Build_LeavesOutServicesThatDiscoveryDoesNotKnow()
    {
        var (routes, clusters) = TopologyProxyConfig.Build(
            PlatformTopology.Default, Discovered(ServiceNames.Api, ServiceNames.Web));

        Assert.DoesNotContain(clusters, c => c.ClusterId == ServiceNames.Auth);
        Assert.DoesNotContain(routes, r => r.ClusterId == ServiceNames.Auth);
        Assert.DoesNotContain(routes, r => r.RouteId == "auth-bare");
    }
}
