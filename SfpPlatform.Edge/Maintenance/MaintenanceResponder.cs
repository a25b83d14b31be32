using System.Globalization;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.Edge.Maintenance;

/// <summary>
/// In the proxy pipeline: when an upstream could not be reached (refused, timed out, or taken out by its failing
/// health check) and nothing was sent yet, answer 503 with <c>Retry-After</c> and the maintenance page (RFC 7807
/// JSON under <c>/sfp/api/</c>) instead of a bare 502/504 — the same bytes Caddy serves.
/// </summary>
public static class MaintenanceResponder
{
    public static IReverseProxyApplicationBuilder UseMaintenancePage(this IReverseProxyApplicationBuilder proxy)
    {
        var topology = proxy.ApplicationServices.GetRequiredService<PlatformTopology>();
        var html = MaintenancePage.Html(topology);
        var problem = MaintenancePage.ProblemJson(topology);
        var retryAfter = topology.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

        proxy.Use(async (context, next) =>
        {
            await next();

            var failed = context.GetForwarderErrorFeature() is not null
                && context.Response.StatusCode is StatusCodes.Status502BadGateway
                    or StatusCodes.Status503ServiceUnavailable or StatusCodes.Status504GatewayTimeout;
            if (!failed || context.Response.HasStarted)
            {
                return;
            }

            // Caddy's "path /sfp/api/*": the prefix with its slash, in any letter case.
            var isApi = context.Request.Path.Value?.StartsWith(MaintenancePage.ApiPathPrefix, StringComparison.OrdinalIgnoreCase) == true;
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = retryAfter;
            context.Response.ContentType = isApi ? MaintenancePage.ProblemContentType : "text/html; charset=utf-8";
            await context.Response.WriteAsync(isApi ? problem : html);
        });
        return proxy;
    }
}
