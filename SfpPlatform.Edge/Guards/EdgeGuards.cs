using SfpPlatform.Topology;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Guards;

/// <summary>
/// What the edge refuses before routing, exactly as the generated Caddyfile does: clients outside the allowlist on
/// an admin port (403); on the public listener, rejected request targets (400), bodies declared larger than the
/// limit (413) and probe paths (404), in that order.
/// </summary>
public static class EdgeGuards
{
    public static IApplicationBuilder UseEdgeGuards(this IApplicationBuilder app)
    {
        var topology = app.ApplicationServices.GetRequiredService<PlatformTopology>();
        var listeners = app.ApplicationServices.GetRequiredService<EdgeListeners>();

        return app.Use((context, next) =>
        {
            if (listeners.AdminFor(context) is not null)
            {
                return listeners.IsAllowedOnAdmin(context.Connection.RemoteIpAddress)
                    ? next(context)
                    : Refuse(context, StatusCodes.Status403Forbidden);
            }

            if (listeners.IsManagement(context))
            {
                return next(context);
            }

            var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "/";
            if (topology.IsRejectedTarget(rawTarget))
            {
                return Refuse(context, StatusCodes.Status400BadRequest);
            }

            if (context.Request.ContentLength > topology.MaxRequestBodyBytes)
            {
                return Refuse(context, StatusCodes.Status413PayloadTooLarge);
            }

            if (topology.IsInternalPath(context.Request.Path.Value ?? "/"))
            {
                return Refuse(context, StatusCodes.Status404NotFound);
            }

            return next(context);
        });
    }

    private static Task Refuse(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
