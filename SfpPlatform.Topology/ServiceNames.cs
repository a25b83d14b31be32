namespace SfpPlatform.Topology;

/// <summary>
/// The names every runtime gives the platform's services: Aspire resource names locally, compose service
/// names and internal host names in production.
/// </summary>
public static class ServiceNames
{
    public const string Edge = "edge";
    public const string Api = "api";
    public const string Web = "web";
    public const string Workers = "workers";
    public const string Auth = "auth";
    public const string Postgres = "postgres";
    public const string Database = "sfp";
    public const string Verdaccio = "verdaccio";
    public const string Hatchet = "hatchet";
    public const string Studio = "studio";
    public const string Caddy = "caddy";

    /// <summary>The one-shot that creates what Hatchet and GoTrue need in Postgres before they start.</summary>
    public const string PostgresInit = "postgres-init";

    /// <summary>Supabase postgres-meta, Studio's database backend.</summary>
    public const string StudioMeta = "meta";

    /// <summary>Hatchet's database (hatchet-lite migrates it but does not create it).</summary>
    public const string HatchetDatabase = "hatchet";

    /// <summary>GoTrue's schema in the platform database and the role that owns it (as Supabase names it).</summary>
    public const string AuthSchema = "auth";

    public const string AuthRole = "supabase_auth_admin";

    /// <summary>The Postgres superuser the platform's services connect as.</summary>
    public const string PostgresUser = "postgres";
}
