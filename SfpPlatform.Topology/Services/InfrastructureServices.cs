using static SfpPlatform.Topology.Services.OperatorVariables;

namespace SfpPlatform.Topology.Services;

/// <summary>
/// The third-party services and their contracts (their environment names are theirs, said once here), read from their
/// sources: hatchet-dev/hatchet (hatchet-lite docs, hack/lite/start.sh), supabase/auth v2.170.0 (config, migrations,
/// hack/init_postgres.sql), supabase/supabase docker/docker-compose.yml (Studio, postgres-meta). Every image is pinned.
/// </summary>
public static class InfrastructureServices
{
    public static readonly ContainerImage CaddyImage = new("docker.io", "library/caddy", "2.6.4-alpine");
    public static readonly ContainerImage PostgresImage = new("docker.io", "library/postgres", "17.6");
    public static readonly ContainerImage GoTrueImage = new("docker.io", "supabase/gotrue", "v2.170.0");
    public static readonly ContainerImage HatchetImage = new("ghcr.io", "hatchet-dev/hatchet/hatchet-lite", "v0.104.7");
    public static readonly ContainerImage StudioImage = new("docker.io", "supabase/studio", "2026.02.16-sha-26c615c");
    public static readonly ContainerImage PostgresMetaImage = new("docker.io", "supabase/postgres-meta", "v0.95.2");
    public static readonly ContainerImage VerdaccioImage = new("docker.io", "verdaccio/verdaccio", "6.10.2");

    /// <summary>The audience GoTrue puts in tokens and the Api requires.</summary>
    public const string TokenAudience = "authenticated";

    /// <summary>The issuer GoTrue signs into tokens and the Api requires: GoTrue's public URL.</summary>
    public static readonly SettingValue TokenIssuer = new SettingValue.PublicUrl(AuthPathPrefix);

    /// <summary>Where GoTrue is published (Caddy strips it).</summary>
    public const string AuthPathPrefix = "/auth/v1";

    /// <summary>hatchet-lite's default tenant, for <c>hatchet-admin token create</c>.</summary>
    public const string HatchetDefaultTenant = "707d0855-80ab-4e1f-a156-f1c4546cbf52";

    /// <summary>Where the rendered init SQL is mounted in <see cref="ServiceNames.PostgresInit"/>.</summary>
    public const string InitSqlFile = "/init/init.sql";

    public static SettingValue Address(string service, string port) =>
        new SettingValue.Endpoint(service, port, EndpointPart.HostAndPort);

    public static SettingValue Url(string service, string port = "http") =>
        new SettingValue.Endpoint(service, port, EndpointPart.Url);

    public static SettingValue TargetPort(string service, string port = "http") =>
        new SettingValue.Endpoint(service, port, EndpointPart.TargetPort);

    public static readonly ServiceContract Caddy = new()
    {
        Name = ServiceNames.Caddy,
        Title = "Caddy: TLS, the public routes, the allowlisted admin ports, the maintenance page",
        Kind = ServiceKind.Container,
        In = Runtimes.Compose,
        Image = CaddyImage,
        PublishedPorts = ["80:80", "443:443", "443:443/udp"],
        Environment =
        [
            new(PublicHost.Name, PublicHost),
            new(AdminHost.Name, AdminHost),
            new(AdminAllowlist.Name, AdminAllowlist),
            new(AcmeEmail.Name, AcmeEmail),
            new(StudioUsername.Name, StudioUsername),
            new(StudioPasswordHash.Name, StudioPasswordHash),
        ],
        Volumes =
        [
            new(VolumeKind.Host, "./caddy/Caddyfile." + OperatorVariables.TlsMode.ComposeReference, "/etc/caddy/Caddyfile", ReadOnly: true),
            new(VolumeKind.Rendered, "maintenance.html", "/srv/maintenance/maintenance.html", ReadOnly: true),
            new(VolumeKind.Host, CertificateDirectory.ComposeReference, "/etc/caddy/certs", ReadOnly: true),
            new(VolumeKind.Named, "caddy-data", "/data"),
            new(VolumeKind.Named, "caddy-config", "/config"),
        ],
        // Caddy's admin API answers on loopback inside the container.
        Health = HealthCheck.Exec("wget", "-q", "-O", "/dev/null", "http://127.0.0.1:2019/config/"),
    };

    public static readonly ServiceContract Postgres = new()
    {
        Name = ServiceNames.Postgres,
        Title = "PostgreSQL: the platform's database, GoTrue's auth schema, Hatchet's database",
        Kind = ServiceKind.Container,
        Image = PostgresImage,
        Ports = [new("tcp", 5432, "tcp")],
        Environment =
        [
            new("POSTGRES_PASSWORD", PostgresPassword),
            new("POSTGRES_DB", ServiceNames.Database),
        ],
        // hatchet-lite opens several pools of up to 50 connections; its docs run Postgres with 200.
        Arguments = ["-c", "max_connections=200"],
        Volumes = [new(VolumeKind.Named, "postgres-data", "/var/lib/postgresql/data")],
        Health = HealthCheck.Exec("pg_isready", "-U", ServiceNames.PostgresUser, "-d", ServiceNames.Database),
    };

    /// <summary>
    /// Runs <c>postgres/init.sql</c> (<see cref="PostgresInit"/>) with psql on every start, before GoTrue, Hatchet and the
    /// platform's services: idempotent, so it also brings an existing volume up to date.
    /// </summary>
    public static readonly ServiceContract PostgresInitializer = new()
    {
        Name = ServiceNames.PostgresInit,
        Title = "creates the hatchet database and GoTrue's role and schema (idempotent)",
        Kind = ServiceKind.Container,
        Image = PostgresImage,
        RunsOnce = true,
        Environment =
        [
            new("PGHOST", new SettingValue.Endpoint(ServiceNames.Postgres, "tcp", EndpointPart.Host)),
            new("PGPORT", TargetPort(ServiceNames.Postgres, "tcp")),
            new("PGUSER", ServiceNames.PostgresUser),
            new("PGPASSWORD", PostgresPassword),
            new("PGDATABASE", "postgres"),
            new(Services.PostgresInit.AuthPasswordVariable, AuthDatabasePassword),
        ],
        Arguments = ["psql", "-v", "ON_ERROR_STOP=1", "-f", InitSqlFile],
        Volumes = [new(VolumeKind.Rendered, "postgres", "/init", ReadOnly: true)],
        DependsOn = [new(ServiceNames.Postgres)],
    };

    public static readonly ServiceContract Auth = new()
    {
        Name = ServiceNames.Auth,
        Title = "Supabase GoTrue: sign-in, users, JWTs",
        Kind = ServiceKind.Container,
        Image = GoTrueImage,
        Ports = [new("http", 9999)],
        Environment =
        [
            new("GOTRUE_API_HOST", "0.0.0.0"),
            new("PORT", TargetPort(ServiceNames.Auth)),
            // As Supabase runs it: the external URL is the site, and the mail links carry the /auth/v1 prefix Caddy strips.
            new("API_EXTERNAL_URL", new SettingValue.PublicUrl("")),
            new("GOTRUE_SITE_URL", new SettingValue.PublicUrl("")),
            new("GOTRUE_DB_DRIVER", "postgres"),
            // GoTrue's migrations assume schema auth and alter auth.schema_migrations: search_path=auth.
            new("GOTRUE_DB_DATABASE_URL", SettingValue.Format(
                $"postgres://{ServiceNames.AuthRole}:{AuthDatabasePassword}@{Address(ServiceNames.Postgres, "tcp")}/{ServiceNames.Database}?search_path={ServiceNames.AuthSchema}&sslmode=disable")),
            new("GOTRUE_DB_NAMESPACE", ServiceNames.AuthSchema),
            new("GOTRUE_JWT_SECRET", JwtSecret),
            new("GOTRUE_JWT_AUD", TokenAudience),
            new("GOTRUE_JWT_ISSUER", TokenIssuer),
            // Without it the role claim is empty.
            new("GOTRUE_JWT_DEFAULT_GROUP_NAME", "authenticated"),
            new("GOTRUE_JWT_ADMIN_ROLES", "service_role"),
            new("GOTRUE_JWT_EXP", "3600"),
            new("GOTRUE_EXTERNAL_EMAIL_ENABLED", "true"),
            new("GOTRUE_DISABLE_SIGNUP", new SettingValue.PerRuntime(DisableSignup, "false")),
            new("GOTRUE_MAILER_AUTOCONFIRM", new SettingValue.PerRuntime(MailerAutoconfirm, "true")),
            new("GOTRUE_MAILER_URLPATHS_CONFIRMATION", AuthPathPrefix + "/verify", Runtimes.Compose),
            new("GOTRUE_MAILER_URLPATHS_INVITE", AuthPathPrefix + "/verify", Runtimes.Compose),
            new("GOTRUE_MAILER_URLPATHS_RECOVERY", AuthPathPrefix + "/verify", Runtimes.Compose),
            new("GOTRUE_MAILER_URLPATHS_EMAIL_CHANGE", AuthPathPrefix + "/verify", Runtimes.Compose),
            // Only where an operator has a mail server; GoTrue refuses an empty port, so the AppHost leaves them out.
            new("GOTRUE_SMTP_HOST", SmtpHost, Runtimes.Compose),
            new("GOTRUE_SMTP_PORT", SmtpPort, Runtimes.Compose),
            new("GOTRUE_SMTP_USER", SmtpUser, Runtimes.Compose),
            new("GOTRUE_SMTP_PASS", SmtpPassword, Runtimes.Compose),
            new("GOTRUE_SMTP_ADMIN_EMAIL", SmtpAdminEmail, Runtimes.Compose),
            new("GOTRUE_SMTP_SENDER_NAME", SmtpSenderName, Runtimes.Compose),
        ],
        Health = HealthCheck.Http("http", "/health", HttpProbe.Wget),
        DependsOn = [new(ServiceNames.PostgresInit, DependencyCondition.Completed)],
    };

    public static readonly ServiceContract Hatchet = new()
    {
        Name = ServiceNames.Hatchet,
        Title = "Hatchet (hatchet-lite): the workflow engine, its dashboard on the admin port",
        Kind = ServiceKind.Container,
        Image = HatchetImage,
        Ports = [new("http", 8888), new("grpc", 7077)],
        Environment =
        [
            new("DATABASE_URL", SettingValue.Format(
                $"postgresql://{ServiceNames.PostgresUser}:{PostgresPassword}@{Address(ServiceNames.Postgres, "tcp")}/{ServiceNames.HatchetDatabase}?sslmode=disable")),
            // Required: hatchet-lite exits without it.
            new("SERVER_AUTH_COOKIE_DOMAIN", new SettingValue.AdminHost()),
            new("SERVER_AUTH_COOKIE_INSECURE", new SettingValue.PerRuntime("f", "t")),
            new("SERVER_AUTH_SET_EMAIL_VERIFIED", "t"),
            new("SERVER_URL", new SettingValue.AdminUrl(ServiceNames.Hatchet)),
            // Plain-text gRPC inside the network: every client uses Hatchet:TlsStrategy=none.
            new("SERVER_GRPC_INSECURE", "t"),
            new("SERVER_GRPC_BIND_ADDRESS", "0.0.0.0"),
            new("SERVER_GRPC_PORT", TargetPort(ServiceNames.Hatchet, "grpc")),
            // Tokens advertise this address; it must be the port the server listens on.
            new("SERVER_GRPC_BROADCAST_ADDRESS", SettingValue.Format($"{ServiceNames.Hatchet}:{TargetPort(ServiceNames.Hatchet, "grpc")}")),
            // The dashboard's own trigger, cancel and replay go through it, inside the container.
            new("SERVER_INTERNAL_CLIENT_INTERNAL_GRPC_BROADCAST_ADDRESS", SettingValue.Format($"localhost:{TargetPort(ServiceNames.Hatchet, "grpc")}")),
        ],
        // Signing and master keys are generated into /config on first start: without a volume a recreate invalidates
        // every API token.
        Volumes = [new(VolumeKind.Named, "hatchet-config", "/config")],
        Health = HealthCheck.Http("http", "/api/ready", HttpProbe.Wget),
        DependsOn = [new(ServiceNames.PostgresInit, DependencyCondition.Completed)],
    };

    public static readonly ServiceContract Studio = new()
    {
        Name = ServiceNames.Studio,
        Title = "Supabase Studio, behind basic authentication and the admin allowlist",
        Kind = ServiceKind.Container,
        In = Runtimes.Compose,
        Image = StudioImage,
        Ports = [new("http", 3000)],
        Environment =
        [
            new("HOSTNAME", "::"),
            new("STUDIO_PG_META_URL", Url(ServiceNames.StudioMeta)),
            new("POSTGRES_PASSWORD", PostgresPassword),
            new("PG_META_CRYPTO_KEY", PgMetaCryptoKey),
        ],
        Health = HealthCheck.Http("http", "/api/platform/profile", HttpProbe.Node),
        DependsOn = [new(ServiceNames.StudioMeta)],
    };

    public static readonly ServiceContract StudioMeta = new()
    {
        Name = ServiceNames.StudioMeta,
        Title = "Supabase postgres-meta, Studio's database backend",
        Kind = ServiceKind.Container,
        In = Runtimes.Compose,
        Image = PostgresMetaImage,
        Ports = [new("http", 8080)],
        Environment =
        [
            new("PG_META_PORT", TargetPort(ServiceNames.StudioMeta)),
            new("PG_META_DB_HOST", new SettingValue.Endpoint(ServiceNames.Postgres, "tcp", EndpointPart.Host)),
            new("PG_META_DB_PORT", TargetPort(ServiceNames.Postgres, "tcp")),
            new("PG_META_DB_NAME", ServiceNames.Database),
            new("PG_META_DB_USER", ServiceNames.PostgresUser),
            new("PG_META_DB_PASSWORD", PostgresPassword),
            new("CRYPTO_KEY", PgMetaCryptoKey),
        ],
        Health = HealthCheck.Http("http", "/health", HttpProbe.Node),
        DependsOn = [new(ServiceNames.Postgres)],
    };

    public static readonly ServiceContract Verdaccio = new()
    {
        Name = ServiceNames.Verdaccio,
        Title = "Verdaccio: the private npm registry (build artifacts, the sfp CLI's packages)",
        Kind = ServiceKind.Container,
        Image = VerdaccioImage,
        Ports = [new("http", 4873)],
        Volumes =
        [
            // config.yaml (rendered) and htpasswd (sfp-platform.sh; the AppHost writes its own).
            new(VolumeKind.Rendered, "verdaccio", "/verdaccio/conf", ReadOnly: true),
            new(VolumeKind.Named, "verdaccio-storage", "/verdaccio/storage"),
        ],
        Health = HealthCheck.Http("http", "/-/ping", HttpProbe.Wget),
    };

    public static IReadOnlyList<ServiceContract> All { get; } =
        [Caddy, Postgres, PostgresInitializer, Auth, Hatchet, Studio, StudioMeta, Verdaccio];
}
