using System.Globalization;
using System.Text;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Topology.Rendering;

/// <summary>
/// Renders a Caddyfile (Caddy 2.6+) from the topology: the public site with the same path routes, probe-path
/// refusal, rejected targets, body limit and maintenance answers as the YARP edge; one allowlisted site per admin
/// service. Output is deterministic: the same topology and options give the same bytes.
/// </summary>
public static class CaddyfileRenderer
{
    public static string Render(PlatformTopology topology, CaddyfileOptions options)
    {
        var w = new CaddyWriter();
        w.Line($"# Generated from the platform topology (SfpPlatform.Topology) by tools/SfpPlatform.Deploy. Do not edit.");
        w.Line($"# TLS mode: {ModeName(options.Mode)}.{ModeComment(options.Mode)}");

        WriteGlobalOptions(w, topology, options);
        WriteSnippets(w, topology, options);
        WritePublicSite(w, topology, options);
        foreach (var admin in topology.AdminServices)
        {
            WriteAdminSite(w, admin, options);
        }

        // As caddy fmt writes it: no blank line at the end.
        return w.ToString().TrimEnd('\n') + "\n";
    }

    public static string ModeName(TlsMode mode) => mode switch
    {
        TlsMode.None => "none",
        TlsMode.Cloudflare => "cloudflare",
        TlsMode.LetsEncrypt => "letsencrypt",
        TlsMode.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    private static string ModeComment(TlsMode mode) => mode switch
    {
        TlsMode.Cloudflare => " Public site: Cloudflare origin certificate (SSL mode Full (strict)), certs/origin.pem and" +
            " certs/origin.key; admin sites: automatic certificates, since the admin subdomain is DNS-only.",
        TlsMode.LetsEncrypt => " Automatic certificates from Let's Encrypt; ACME account e-mail from ACME_EMAIL (blank: none).",
        TlsMode.Custom => " Certificate and key files from an internal CA: certs/tls.crt and certs/tls.key, every site.",
        _ => " Plain HTTP.",
    };

    private static void WriteGlobalOptions(CaddyWriter w, PlatformTopology topology, CaddyfileOptions options)
    {
        w.Open("");
        if (options.Mode == TlsMode.None)
        {
            w.Line("auto_https off");
            w.Line("admin off");
        }

        w.Open("servers");
        w.Open("timeouts");
        w.Line("read_header 10s");
        w.Line("idle 2m");
        w.Close();
        w.Close();
        w.Close();
        w.Line();
    }

    private static void WriteSnippets(CaddyWriter w, PlatformTopology topology, CaddyfileOptions options)
    {
        var retryAfter = topology.MaintenanceRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

        w.Open("(upstream)");
        w.Open("transport http");
        w.Line($"dial_timeout {Seconds(topology.UpstreamConnectTimeout)}");
        w.Line($"response_header_timeout {Seconds(topology.UpstreamResponseTimeout)}");
        w.Close();
        w.Close();
        w.Line();

        w.Open("(maintenance)");
        w.Open("handle_errors");
        w.Open("@api_down");
        w.Line("expression `{err.status_code} in [502, 503, 504]`");
        w.Line($"path {MaintenancePage.ApiPathPrefix}*");
        w.Close();
        w.Open("handle @api_down");
        w.Line($"header Retry-After {retryAfter}");
        w.Line($"header Content-Type {MaintenancePage.ProblemContentType}");
        w.Line($"respond `{MaintenancePage.ProblemJson(topology)}` 503");
        w.Close();
        w.Line("@down expression `{err.status_code} in [502, 503, 504]`");
        w.Open("handle @down");
        w.Line($"header Retry-After {retryAfter}");
        w.Line($"root * {options.MaintenanceRoot}");
        w.Line("rewrite * /maintenance.html");
        w.Open("file_server");
        w.Line("status 503");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        w.Line();

        var allowlist = options.FixedAdminAllowlist is { } fixedList
            ? string.Join(' ', fixedList)
            // Compose requires the variable (a blank one stops compose, naming it): a default here would never apply,
            // since compose sets it, and an empty list would deny everyone.
            : Placeholder(OperatorVariables.AdminAllowlist);
        w.Open("(admin_allowlist)");
        w.Line($"@denied not remote_ip {allowlist}");
        w.Line("respond @denied 403");
        w.Close();
        w.Line();
    }

    private static void WritePublicSite(CaddyWriter w, PlatformTopology topology, CaddyfileOptions options)
    {
        w.Open(SiteAddress(options, Placeholder(OperatorVariables.PublicHost), options.HttpPort));
        WriteSiteTls(w, options, admin: false);
        w.Open("request_body");
        w.Line($"max_size {topology.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture)}");
        w.Close();

        // route keeps the order as written: refusals first, then the path routes, most specific first.
        w.Open("route");
        var celPattern = topology.RejectedTargetPattern.Replace("\\", "\\\\", StringComparison.Ordinal);
        w.Line($"@rejected expression `{{http.request.uri}}.matches(\"{celPattern}\")`");
        w.Line("respond @rejected 400");
        // request_body alone makes Caddy 2.6 fail the proxying (a 502); refuse a declared oversize body up front.
        var limit = topology.MaxRequestBodyBytes.ToString(CultureInfo.InvariantCulture);
        w.Line($"@too_large expression `{{http.request.header.Content-Length}} != \"\" && int({{http.request.header.Content-Length}}) > {limit}`");
        w.Line("respond @too_large 413");
        w.Line("@internal path " + string.Join(' ', topology.RefusedPaths.SelectMany(p => new[] { p, p + "/*" })));
        w.Line("respond @internal 404");
        foreach (var route in topology.Routes)
        {
            var handle = route.IsCatchAll
                ? "handle"
                : (route.StripPrefix ? "handle_path " : "handle ") + route.Prefix + "/*";
            w.Open(handle);
            w.Open($"reverse_proxy {options.UpstreamAddress(route.Service)}");
            w.Line("import upstream");
            if (route.Service == topology.MaintenanceService)
            {
                w.Line("health_uri /health");
                w.Line("health_interval 5s");
                w.Line("health_timeout 3s");
            }

            w.Close();
            w.Close();
        }

        w.Close();
        w.Line("import maintenance");
        w.Close();
        w.Line();
    }

    private static void WriteAdminSite(CaddyWriter w, AdminService admin, CaddyfileOptions options)
    {
        var port = options.AdminPorts.TryGetValue(admin.Id, out var p) ? p : admin.Port;
        w.Line($"# {admin.Title}");
        w.Open(SiteAddress(options, Placeholder(OperatorVariables.AdminHost), port));
        WriteSiteTls(w, options, admin: true);
        var basicAuth = admin.BasicAuth && options.Mode != TlsMode.None;
        if (basicAuth)
        {
            // route keeps the order as written (Caddy would otherwise ask for the password before the allowlist says no).
            w.Open("route");
        }

        w.Line("import admin_allowlist");
        if (basicAuth)
        {
            w.Open("basicauth");
            w.Line($"{Placeholder(OperatorVariables.StudioUsername)} {Placeholder(OperatorVariables.StudioPasswordHash)}");
            w.Close();
        }

        w.Open($"reverse_proxy {options.UpstreamAddress(admin.Service)}");
        w.Line("import upstream");
        w.Close();
        if (basicAuth)
        {
            w.Close();
        }

        w.Close();
        w.Line();
    }

    private static string SiteAddress(CaddyfileOptions options, string hostVariable, int port) =>
        options.Mode == TlsMode.None
            ? $"http://:{port.ToString(CultureInfo.InvariantCulture)}"
            : port == 80 ? hostVariable : $"{hostVariable}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static void WriteSiteTls(CaddyWriter w, CaddyfileOptions options, bool admin)
    {
        switch (options.Mode)
        {
            case TlsMode.None when options.BindAddress is { } bind:
                w.Line($"bind {bind}");
                break;
            // Fixed paths in the mounted folder, never variables: compose sets a blank variable to the empty string, and a
            // blank certificate path would turn "tls a b" into automatic ACME, the given certificate silently unused.
            case TlsMode.Cloudflare when !admin:
                w.Line($"tls {options.CertificateDirectory}/{CloudflareCertificate} {options.CertificateDirectory}/{CloudflareKey}");
                break;
            case TlsMode.Custom:
                w.Line($"tls {options.CertificateDirectory}/{CustomCertificate} {options.CertificateDirectory}/{CustomKey}");
                break;
            // Automatic certificates: "tls <email> { … }" with a blank ACME_EMAIL is "tls { … }" (no account e-mail),
            // whereas a global "email" with a blank value stops Caddy.
            case TlsMode.Cloudflare or TlsMode.LetsEncrypt:
                w.Open($"tls {Placeholder(OperatorVariables.AcmeEmail)}");
                w.Line("protocols tls1.2");
                w.Close();
                break;
        }
    }

    public const string CloudflareCertificate = "origin.pem";
    public const string CloudflareKey = "origin.key";
    public const string CustomCertificate = "tls.crt";
    public const string CustomKey = "tls.key";

    /// <summary>Caddy's parse-time environment placeholder for an operator variable.</summary>
    private static string Placeholder(OperatorVariable variable) => "{$" + variable.Name + "}";

    private static string Seconds(TimeSpan span) =>
        ((int)span.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>Writes Caddyfile blocks with tab indentation, as <c>caddy fmt</c> does.</summary>
    private sealed class CaddyWriter
    {
        private readonly StringBuilder _text = new();
        private int _depth;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append('\t', _depth).Append(line);
            }

            _text.Append('\n');
        }

        public void Open(string head)
        {
            Line(head.Length == 0 ? "{" : head + " {");
            _depth++;
        }

        public void Close()
        {
            _depth--;
            Line("}");
        }

        public override string ToString() => _text.ToString();
    }
}
