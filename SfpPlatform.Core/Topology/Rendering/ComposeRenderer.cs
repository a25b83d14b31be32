using System.Globalization;
using System.Text;

namespace SfpPlatform.Core.Topology.Rendering;

/// <summary>
/// Renders <c>deploy/compose.yaml</c>: one bridge network, only Caddy publishes host ports (80, 443 and the admin
/// ports); every other service is reached by its service name; volumes for Postgres, Verdaccio and Caddy; a
/// health check on every service.
/// </summary>
public static class ComposeRenderer
{
    /// <summary>The variables compose reads from <c>.env</c>, with what each is for. Values never live here.</summary>
    public static readonly IReadOnlyList<(string Name, string Purpose)> Variables =
    [
        ("SFP_VERSION", "image tag of the platform's services"),
        ("SFP_IMAGE_REGISTRY", "registry and namespace of the platform's images"),
        ("SFP_TLS_MODE", "which Caddyfile to use: cloudflare, letsencrypt or custom"),
        ("SFP_PUBLIC_HOST", "public host name, e.g. sfp.example.com"),
        ("SFP_ADMIN_HOST", "DNS-only admin host name, e.g. admin.sfp.example.com"),
        ("SFP_ADMIN_ALLOWLIST", "client networks (CIDR, space-separated) allowed on the admin ports"),
        ("ACME_EMAIL", "ACME account e-mail (letsencrypt; cloudflare admin sites)"),
        ("TLS_CERT_DIR", "host folder with the certificate and key files (cloudflare, custom)"),
        ("TLS_CERT_FILE", "certificate path inside the Caddy container (optional)"),
        ("TLS_KEY_FILE", "key path inside the Caddy container (optional)"),
        ("POSTGRES_PASSWORD", "Postgres superuser password (secret)"),
        ("JWT_SECRET", "HS256 secret shared by GoTrue and the Api, at least 32 characters (secret)"),
        ("CREDENTIALS_ENCRYPTION_KEY", "pgcrypto key for provider credentials (secret)"),
        ("HATCHET_CLIENT_TOKEN", "Hatchet API token for the Api and Workers (secret)"),
        ("VERDACCIO_PUBLISHER_PASSWORD", "password of Verdaccio's sfp-publisher account, as in verdaccio/htpasswd (secret)"),
        ("VERDACCIO_READER_PASSWORD", "password of Verdaccio's sfp-reader account, as in verdaccio/htpasswd (secret)"),
    ];

    public static string Render(PlatformTopology topology)
    {
        var y = new StringBuilder();
        void L(int indent, string text) => y.Append(' ', indent * 2).Append(text).Append('\n');

        L(0, "# Generated from the platform topology (SfpPlatform.Core/Topology) by tools/SfpPlatform.Deploy. Do not edit.");
        L(0, "# Only Caddy publishes host ports; everything else is reached by service name on the 'sfp' network.");
        L(0, "name: sfp-platform");
        L(0, "");
        L(0, "services:");

        // Caddy: the only service with host ports.
        L(1, $"{ServiceNames.Caddy}:");
        L(2, "image: caddy:2.6");
        L(2, "restart: unless-stopped");
        L(2, "ports:");
        L(3, "- \"80:80\"");
        L(3, "- \"443:443\"");
        L(3, "- \"443:443/udp\"");
        foreach (var admin in topology.AdminServices)
        {
            L(3, $"- \"{Port(admin.Port)}:{Port(admin.Port)}\"");
        }

        L(2, "environment:");
        foreach (var name in new[] { "SFP_PUBLIC_HOST", "SFP_ADMIN_HOST", "SFP_ADMIN_ALLOWLIST", "ACME_EMAIL", "TLS_CERT_FILE", "TLS_KEY_FILE" })
        {
            L(3, $"{name}: ${{{name}:-}}");
        }

        L(2, "volumes:");
        L(3, "- ./caddy/Caddyfile.${SFP_TLS_MODE:?set SFP_TLS_MODE to cloudflare, letsencrypt or custom}:/etc/caddy/Caddyfile:ro");
        L(3, "- ./maintenance.html:/srv/maintenance/maintenance.html:ro");
        L(3, "- ${TLS_CERT_DIR:-./certs}:/etc/caddy/certs:ro");
        L(3, "- caddy-data:/data");
        L(3, "- caddy-config:/config");
        Healthcheck(L, "[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:2019/config/\"]");
        DependsOn(L, ServiceNames.Api, ServiceNames.Web, ServiceNames.Auth);
        Network(L);

        DotnetService(L, topology, ServiceNames.Api, "sfp-api",
        [
            ("ConnectionStrings__sfp", "Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD:?};Database=sfp"),
            ("Auth__JwtSecret", "${JWT_SECRET:?}"),
            ("Credentials__Keys__current", "${CREDENTIALS_ENCRYPTION_KEY:?}"),
            ("Workflows__Engine", "hatchet"),
            ("Hatchet__Token", "${HATCHET_CLIENT_TOKEN:-}"),
        ], [ServiceNames.Postgres]);
        DotnetService(L, topology, ServiceNames.Workers, "sfp-workers",
        [
            ("ConnectionStrings__sfp", "Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD:?};Database=sfp"),
            ("Credentials__Keys__current", "${CREDENTIALS_ENCRYPTION_KEY:?}"),
            ("Workflows__Engine", "hatchet"),
            ("Hatchet__Token", "${HATCHET_CLIENT_TOKEN:-}"),
            ("services__verdaccio__http__0", $"http://{ServiceNames.Verdaccio}:{Port(topology.ServicePorts[ServiceNames.Verdaccio])}"),
            ("PackageRegistry__Publisher__Username", VerdaccioConfigRenderer.Publisher),
            ("PackageRegistry__Publisher__Password", "${VERDACCIO_PUBLISHER_PASSWORD:?}"),
            ("PackageRegistry__Reader__Username", VerdaccioConfigRenderer.Reader),
            ("PackageRegistry__Reader__Password", "${VERDACCIO_READER_PASSWORD:?}"),
        ], [ServiceNames.Api, ServiceNames.Verdaccio]);
        DotnetService(L, topology, ServiceNames.Web, "sfp-web",
        [
            ("services__api__http__0", $"http://{ServiceNames.Api}:{Port(topology.ServicePorts[ServiceNames.Api])}"),
            // The web app signs users in against GoTrue, server side.
            ("Auth__GoTrueUrl", $"http://{ServiceNames.Auth}:{Port(topology.ServicePorts[ServiceNames.Auth])}"),
        ], [ServiceNames.Api, ServiceNames.Auth]);

        L(1, $"{ServiceNames.Postgres}:");
        L(2, "image: postgres:17");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}");
        L(3, "POSTGRES_DB: sfp");
        L(2, "volumes:");
        L(3, "- postgres-data:/var/lib/postgresql/data");
        Healthcheck(L, "[\"CMD-SHELL\", \"pg_isready -U postgres -d sfp\"]");
        Network(L);

        L(1, $"{ServiceNames.Auth}:");
        L(2, "image: supabase/gotrue:v2.170.0");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, $"GOTRUE_API_HOST: 0.0.0.0");
        L(3, $"PORT: \"{Port(topology.ServicePorts[ServiceNames.Auth])}\"");
        L(3, "API_EXTERNAL_URL: https://${SFP_PUBLIC_HOST:?}/auth/v1");
        L(3, "GOTRUE_SITE_URL: https://${SFP_PUBLIC_HOST:?}");
        L(3, "GOTRUE_DB_DRIVER: postgres");
        L(3, "GOTRUE_DB_DATABASE_URL: postgres://postgres:${POSTGRES_PASSWORD:?}@postgres:5432/sfp?search_path=auth");
        L(3, "GOTRUE_JWT_SECRET: ${JWT_SECRET:?}");
        L(3, "GOTRUE_JWT_AUD: authenticated");
        L(3, "GOTRUE_JWT_EXP: \"3600\"");
        Healthcheck(L, $"[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:{Port(topology.ServicePorts[ServiceNames.Auth])}/health\"]");
        DependsOn(L, ServiceNames.Postgres);
        Network(L);

        L(1, $"{ServiceNames.Hatchet}:");
        L(2, "image: ghcr.io/hatchet-dev/hatchet/hatchet-lite:latest");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, "DATABASE_URL: postgresql://postgres:${POSTGRES_PASSWORD:?}@postgres:5432/hatchet?sslmode=disable");
        L(3, "SERVER_AUTH_COOKIE_DOMAIN: ${SFP_ADMIN_HOST:?}");
        L(3, "SERVER_AUTH_COOKIE_INSECURE: \"f\"");
        L(3, "SERVER_GRPC_BIND_ADDRESS: 0.0.0.0");
        L(3, "SERVER_GRPC_INSECURE: \"t\"");
        L(3, "SERVER_GRPC_BROADCAST_ADDRESS: hatchet:7077");
        L(3, "SERVER_URL: https://${SFP_ADMIN_HOST:?}:" + Port(topology.AdminServices.Single(a => a.Service == ServiceNames.Hatchet).Port));
        Healthcheck(L, $"[\"CMD-SHELL\", \"wget -q -O /dev/null http://127.0.0.1:{Port(topology.ServicePorts[ServiceNames.Hatchet])}/api/ready || exit 1\"]");
        DependsOn(L, ServiceNames.Postgres);
        Network(L);

        L(1, $"{ServiceNames.Studio}:");
        L(2, "image: supabase/studio:latest");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, "STUDIO_PG_META_URL: http://meta:8080");
        L(3, "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}");
        Healthcheck(L, $"[\"CMD\", \"node\", \"-e\", \"fetch('http://127.0.0.1:{Port(topology.ServicePorts[ServiceNames.Studio])}/api/platform/profile').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))\"]");
        DependsOn(L, "meta");
        Network(L);

        L(1, "meta:");
        L(2, "image: supabase/postgres-meta:v0.84.2");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, "PG_META_PORT: \"8080\"");
        L(3, "PG_META_DB_HOST: postgres");
        L(3, "PG_META_DB_USER: postgres");
        L(3, "PG_META_DB_PASSWORD: ${POSTGRES_PASSWORD:?}");
        L(3, "PG_META_DB_NAME: sfp");
        Healthcheck(L, "[\"CMD\", \"node\", \"-e\", \"fetch('http://127.0.0.1:8080/health').then(r => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))\"]");
        DependsOn(L, ServiceNames.Postgres);
        Network(L);

        L(1, $"{ServiceNames.Verdaccio}:");
        L(2, "image: verdaccio/verdaccio:6");
        L(2, "restart: unless-stopped");
        L(2, "volumes:");
        L(3, "- ./verdaccio:/verdaccio/conf:ro");
        L(3, "- verdaccio-storage:/verdaccio/storage");
        Healthcheck(L, $"[\"CMD\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:{Port(topology.ServicePorts[ServiceNames.Verdaccio])}/-/ping\"]");
        Network(L);

        L(0, "");
        L(0, "networks:");
        L(1, "sfp:");
        L(2, "driver: bridge");
        L(0, "");
        L(0, "volumes:");
        foreach (var volume in new[] { "postgres-data", "verdaccio-storage", "caddy-data", "caddy-config" })
        {
            L(1, volume + ":");
        }

        return y.ToString();
    }

    private static void DotnetService(
        Action<int, string> L, PlatformTopology topology, string service, string image,
        IReadOnlyList<(string Name, string Value)> environment, IReadOnlyList<string> dependsOn)
    {
        var port = topology.ServicePorts.TryGetValue(service, out var p) ? p : 8080;
        L(1, $"{service}:");
        L(2, $"image: ${{SFP_IMAGE_REGISTRY:-ghcr.io/sfp-platform}}/{image}:${{SFP_VERSION:-latest}}");
        L(2, "restart: unless-stopped");
        L(2, "environment:");
        L(3, $"ASPNETCORE_HTTP_PORTS: \"{Port(port)}\"");
        foreach (var (name, value) in environment)
        {
            L(3, $"{name}: {value}");
        }

        // The .NET images have bash but no curl or wget: probe /health over bash's /dev/tcp.
        Healthcheck(L, $"[\"CMD\", \"bash\", \"-c\", \"exec 3<>/dev/tcp/127.0.0.1/{Port(port)} && printf 'GET /health HTTP/1.0\\\\r\\\\n\\\\r\\\\n' >&3 && grep -q Healthy <&3\"]");
        DependsOn(L, [.. dependsOn]);
        Network(L);
    }

    private static void Healthcheck(Action<int, string> L, string test)
    {
        L(2, "healthcheck:");
        L(3, $"test: {test}");
        L(3, "interval: 10s");
        L(3, "timeout: 5s");
        L(3, "retries: 6");
        L(3, "start_period: 20s");
    }

    private static void DependsOn(Action<int, string> L, params string[] services)
    {
        L(2, "depends_on:");
        foreach (var service in services)
        {
            L(3, $"{service}:");
            L(4, "condition: service_healthy");
        }
    }

    private static void Network(Action<int, string> L)
    {
        L(2, "networks:");
        L(3, "- sfp");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
