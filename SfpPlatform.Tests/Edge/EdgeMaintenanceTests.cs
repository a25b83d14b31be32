using SfpPlatform.Core.Topology;
using SfpPlatform.Core.Topology.Rendering;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Edge;

/// <summary>With the Api down, both edges answer 503 with Retry-After and the maintenance page, never a bare 502.</summary>
public sealed class EdgeMaintenanceTests
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiStopped_BothEdgesAnswerTheMaintenancePage()
    {
        await using var pair = await EdgePair.StartAsync();
        var topology = PlatformTopology.Default;
        foreach (var edge in pair.Both)
        {
            var before = await RawHttp.SendAsync(edge.Port, "GET", "/sfp/api/health", cancellationToken: Cancellation);
            Assert.Equal(200, before.Status);
        }

        await pair.Upstreams[ServiceNames.Api].DisposeAsync();

        foreach (var edge in pair.Both)
        {
            var api = await RawHttp.SendAsync(edge.Port, "GET", "/sfp/api/health", cancellationToken: Cancellation);
            Assert.Equal(503, api.Status);
            Assert.Equal("30", api.Header("Retry-After"));
            Assert.StartsWith(MaintenancePage.ProblemContentType, api.Header("Content-Type"));
            Assert.Equal(MaintenancePage.ProblemJson(topology), api.BodyText);

            var browser = await RawHttp.SendAsync(edge.Port, "GET", "/sfp/", [("Accept", "text/html")], cancellationToken: Cancellation);
            Assert.Equal(503, browser.Status);
            Assert.Equal("30", browser.Header("Retry-After"));
            Assert.StartsWith("text/html", browser.Header("Content-Type"));
            Assert.Equal(MaintenancePage.Html(topology), browser.BodyText);

            // The web app is still up and still served.
            var web = await RawHttp.SendAsync(edge.Port, "GET", "/", cancellationToken: Cancellation);
            Assert.Equal(ServiceNames.Web, web.Echo!.Service);
        }
    }
}
