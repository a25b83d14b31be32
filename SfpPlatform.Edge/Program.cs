using SfpPlatform.Edge.Extensions;
using SfpPlatform.Edge.Guards;
using SfpPlatform.Edge.Maintenance;
using SfpPlatform.Edge.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEdgeServices();

var app = builder.Build();

app.UseTrustedForwardedHeaders();
app.UseEdgeGuards();
app.MapEdgeProbes();
app.MapReverseProxy(proxy =>
{
    proxy.UseMaintenancePage();
    proxy.UseSessionAffinity();
    proxy.UseLoadBalancing();
    proxy.UsePassiveHealthChecks();
}).ConfigureEndpoints((endpoint, route) =>
{
    if (route.Metadata?.GetValueOrDefault(TopologyProxyConfig.ListenerKey) is { } listener)
    {
        endpoint.WithMetadata(listener == TopologyProxyConfig.PublicListener
            ? new PublicListenerMetadata()
            : (object)new AdminListenerMetadata(listener));
    }

    if (route.Metadata?.GetValueOrDefault(TopologyProxyConfig.ExactPathKey) is { } exactPath)
    {
        endpoint.WithMetadata(new ExactPathMetadata(exactPath));
    }
});

await app.RunAsync();
