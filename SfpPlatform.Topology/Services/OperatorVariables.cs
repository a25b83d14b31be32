namespace SfpPlatform.Topology.Services;

/// <summary>Every value an operator gives in <c>deploy/.env</c>, each named once here.</summary>
public static class OperatorVariables
{
    public static readonly OperatorVariable Version = new()
    {
        Name = "SFP_VERSION", Required = true,
        Purpose = "release tag of the platform's images (sfp-api, sfp-workers, sfp-web), e.g. 1.4.0",
    };

    public static readonly OperatorVariable ImageRegistry = new()
    {
        Name = "SFP_IMAGE_REGISTRY", Default = "ghcr.io/sfp-platform",
        Purpose = "registry and namespace of the platform's images",
    };

    public static readonly OperatorVariable TlsMode = new()
    {
        Name = "SFP_TLS_MODE", Required = true,
        Purpose = "which Caddyfile to use: cloudflare, letsencrypt or custom",
    };

    public static readonly OperatorVariable PublicHost = new()
    {
        Name = "SFP_PUBLIC_HOST", Required = true, Purpose = "public host name, e.g. sfp.example.com",
    };

    public static readonly OperatorVariable AdminHost = new()
    {
        Name = "SFP_ADMIN_HOST", Required = true,
        Purpose = "DNS-only admin host name (Hatchet, Studio, Verdaccio on ports 8443-8445), e.g. admin.sfp.example.com",
    };

    public static readonly OperatorVariable AdminAllowlist = new()
    {
        Name = "SFP_ADMIN_ALLOWLIST", Required = true,
        Purpose = "client networks (CIDR, space-separated) allowed on the admin ports; clients of a published port often arrive from the bridge gateway",
    };

    public static readonly OperatorVariable AcmeEmail = new()
    {
        Name = "ACME_EMAIL",
        Purpose = "ACME account e-mail for automatic certificates (letsencrypt; the admin sites in cloudflare mode); blank: no account e-mail",
    };

    public static readonly OperatorVariable CertificateDirectory = new()
    {
        Name = "TLS_CERT_DIR", Default = "./certs",
        Purpose = "host folder with origin.pem/origin.key (cloudflare) or tls.crt/tls.key (custom)",
    };

    public static readonly OperatorVariable StudioUsername = new()
    {
        Name = "STUDIO_USERNAME", Default = "admin", Purpose = "user name of Supabase Studio's basic authentication",
    };

    public static readonly OperatorVariable StudioPasswordHash = new()
    {
        Name = "STUDIO_PASSWORD_HASH", Required = true, Secret = true,
        Purpose = "Studio's basic-auth password: base64 of the bcrypt hash 'caddy hash-password' prints (no dollar signs for compose to expand; sfp-platform.sh makes it)",
    };

    public static readonly OperatorVariable PostgresPassword = new()
    {
        Name = "POSTGRES_PASSWORD", Required = true, Secret = true, Parameter = "postgres-password", GeneratedLength = 32,
        Purpose = "Postgres superuser password (letters and digits: it goes into connection URLs)",
    };

    public static readonly OperatorVariable AuthDatabasePassword = new()
    {
        Name = "AUTH_DB_PASSWORD", Required = true, Secret = true, Parameter = "auth-db-password", GeneratedLength = 32,
        Purpose = $"password of GoTrue's database role {ServiceNames.AuthRole} (letters and digits)",
    };

    public static readonly OperatorVariable JwtSecret = new()
    {
        Name = "JWT_SECRET", Required = true, Secret = true, Parameter = "jwt-secret", GeneratedLength = 48,
        Purpose = "HS256 secret GoTrue signs with and the Api checks, at least 32 characters",
    };

    public static readonly OperatorVariable CredentialsKey = new()
    {
        Name = "CREDENTIALS_ENCRYPTION_KEY", Required = true, Secret = true, Parameter = "credentials-key", GeneratedLength = 48,
        Purpose = "pgcrypto key for provider credentials, at least 32 characters",
    };

    public static readonly OperatorVariable HatchetToken = new()
    {
        Name = "HATCHET_CLIENT_TOKEN", Secret = true, Parameter = "hatchet-token",
        Purpose = "Hatchet API token for the Api and Workers; sfp-platform.sh creates it with hatchet-admin on first run",
    };

    public static readonly OperatorVariable VerdaccioPublisherPassword = new()
    {
        Name = "VERDACCIO_PUBLISHER_PASSWORD", Required = true, Secret = true, Parameter = "verdaccio-publisher-password", GeneratedLength = 32,
        Purpose = "password of Verdaccio's sfp-publisher account, as in verdaccio/htpasswd",
    };

    public static readonly OperatorVariable VerdaccioReaderPassword = new()
    {
        Name = "VERDACCIO_READER_PASSWORD", Required = true, Secret = true, Parameter = "verdaccio-reader-password", GeneratedLength = 32,
        Purpose = "password of Verdaccio's sfp-reader account, as in verdaccio/htpasswd",
    };

    public static readonly OperatorVariable PgMetaCryptoKey = new()
    {
        Name = "PG_META_CRYPTO_KEY", Required = true, Secret = true, GeneratedLength = 32,
        Purpose = "key Studio and postgres-meta encrypt connection strings with, at least 32 characters",
    };

    public static readonly OperatorVariable DisableSignup = new()
    {
        Name = "AUTH_DISABLE_SIGNUP", Default = "true",
        Purpose = "true: users are created by an owner (sfp-platform.sh owner, Studio); false: anyone may sign up",
    };

    public static readonly OperatorVariable MailerAutoconfirm = new()
    {
        Name = "AUTH_MAILER_AUTOCONFIRM", Default = "false",
        Purpose = "true: sign-ups need no e-mail confirmation (only where no SMTP server is configured)",
    };

    public static readonly OperatorVariable OtlpEndpoint = new()
    {
        Name = "OTEL_EXPORTER_OTLP_ENDPOINT",
        Purpose = "OpenTelemetry collector the Api, Workers and Web export traces, metrics and logs to over OTLP (gRPC, e.g. http://otel-collector:4317; deploy/README.md has an example collector); blank: no export",
    };

    public static readonly OperatorVariable SmtpHost = new() { Name = "SMTP_HOST", Purpose = "SMTP server for GoTrue's confirmation and recovery mails" };

    public static readonly OperatorVariable SmtpPort = new() { Name = "SMTP_PORT", Default = "587", Purpose = "SMTP port" };

    public static readonly OperatorVariable SmtpUser = new() { Name = "SMTP_USER", Purpose = "SMTP user name" };

    public static readonly OperatorVariable SmtpPassword = new() { Name = "SMTP_PASS", Secret = true, Purpose = "SMTP password" };

    public static readonly OperatorVariable SmtpAdminEmail = new() { Name = "SMTP_ADMIN_EMAIL", Purpose = "sender address of GoTrue's mails" };

    public static readonly OperatorVariable SmtpSenderName = new() { Name = "SMTP_SENDER_NAME", Default = "SfpPlatform", Purpose = "sender name of GoTrue's mails" };
}
