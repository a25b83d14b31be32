namespace SfpPlatform.Core.Topology;

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
}
