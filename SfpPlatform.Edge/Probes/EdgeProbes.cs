using Microsoft.Extensions.Options;
using SfpPlatform.Core.Topology;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Probes;

/// <summary>
/// The edge's own probes live on the management listener only; the public listener never answers or forwards a
/// probe path, so no service's health detail is reachable from outside.
/// </summary>
public static class EdgeProbes
{
    public static WebApplication MapEdgeProbes(this WebApplication app)
    {
        var managementPort = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value.ManagementPort;
        app.MapDefaultEndpoints(managementPort is { } port ? $"*:{port}" : null);
        return app;
    }

    public static IApplicationBuilder UseInternalPathGuard(this IApplicationBuilder app)
    {
        var topology = app.ApplicationServices.GetRequiredService<PlatformTopology>();
        var managementPort = app.ApplicationServices.GetRequiredService<IOptions<EdgeOptions>>().Value.ManagementPort;

        return app.Use((context, next) =>
        {
            var onManagementListener = managementPort is null || context.Connection.LocalPort == managementPort;
            if (!onManagementListener && topology.IsInternalPath(context.Request.Path.Value ?? "/"))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
