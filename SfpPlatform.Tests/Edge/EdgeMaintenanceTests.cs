using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Edge;

/// <summary>With the Api down, both edges answer 503 with Retry-After and the maintenance page, never a bare 502.</summary>
public sealed class EdgeMaintenanceTests
{
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

    [Fact]
    public async Task ApiFailingItsHealthCheck_BothEdgesTakeItOutAndAnswerTheMaintenancePage_ThenRecover()
    {
        await using var pair = await EdgePair.StartAsync();
        var api = pair.Upstreams[ServiceNames.Api];

        api.Healthy = false;
        foreach (var edge in pair.Both)
        {
            var answer = await PollAsync(edge, response => response.Status == 503, TimeSpan.FromSeconds(40));
            Assert.Equal(MaintenancePage.ProblemJson(PlatformTopology.Default), answer.BodyText);
            Assert.Equal("30", answer.Header("Retry-After"));
        }

        api.Healthy = true;
        foreach (var edge in pair.Both)
        {
            var answer = await PollAsync(edge, response => response.Status == 200, TimeSpan.FromSeconds(40));
            Assert.Equal(ServiceNames.Api, answer.Echo!.Service);
        }
    }

    /// <summary>Asks until the edge's answer satisfies <paramref name="done"/> (health checks run every 5 s).</summary>
    private static async Task<RawResponse> PollAsync(EdgeEndpoint edge, Func<RawResponse, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var response = await RawHttp.SendAsync(edge.Port, "GET", "/sfp/api/health", cancellationToken: Cancellation);
            if (done(response))
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{edge} still answered {response.Status} after {timeout.TotalSeconds:0} s");
            await Task.Delay(250, Cancellation);
        }
    }
}
