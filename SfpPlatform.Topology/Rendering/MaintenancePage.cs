using System.Globalization;

namespace SfpPlatform.Topology.Rendering;

/// <summary>
/// The 503 answers both edges give while an upstream is down: an HTML page for browsers, RFC 7807 JSON for the
/// Api's clients (<c>/sfp/api/*</c>). The YARP edge serves these strings; the deploy generator writes the same
/// ones into <c>deploy/maintenance.html</c> and the Caddyfiles.
/// </summary>
public static class MaintenancePage
{
    /// <summary>Requests under this path get the JSON answer.</summary>
    public const string ApiPathPrefix = "/sfp/api/";

    public const string ProblemContentType = "application/problem+json";

    public static string ProblemJson(PlatformTopology topology) =>
        "{\"type\":\"https://tools.ietf.org/html/rfc9110#section-15.6.4\",\"title\":\"Service Unavailable\",\"status\":503," +
        "\"detail\":\"SfpPlatform is down for maintenance or restarting. Retry after " +
        topology.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture) + " seconds.\"}";

    public static string Html(PlatformTopology topology) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta http-equiv="refresh" content="{{topology.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture)}}">
          <title>SfpPlatform is under maintenance</title>
          <style>
            body { font-family: system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f6f7f9; color: #1b1f24; }
            main { max-width: 32rem; padding: 2rem; }
            h1 { font-size: 1.5rem; }
          </style>
        </head>
        <body>
          <main>
            <h1>SfpPlatform is under maintenance</h1>
            <p>The service is restarting or being updated. This page reloads by itself in {{topology.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture)}} seconds.</p>
            <p>Webhook deliveries are not lost: providers retry them until the platform accepts them.</p>
          </main>
        </body>
        </html>

        """;
}
