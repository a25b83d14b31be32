using SfpPlatform.Edge.Extensions;
using SfpPlatform.Edge.Routing;

namespace SfpPlatform.Edge.Guards;

/// <summary>The edge's own probes, answered on the management listener only.</summary>
public static class EdgeProbes
{
    public static WebApplication MapEdgeProbes(this WebApplication app)
    {
        if (app.Services.GetRequiredService<EdgeListeners>().ManagementPort is not null)
        {
            app.MapDefaultEndpoints(probe => probe.WithMetadata(new ManagementListenerMetadata()));
        }

        return app;
    }
}
