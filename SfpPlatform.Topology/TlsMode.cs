namespace SfpPlatform.Topology;

/// <summary>How production's Caddy gets its certificates; one Caddyfile is generated per mode.</summary>
public enum TlsMode
{
    /// <summary>Plain HTTP on the given ports (local edge, tests).</summary>
    None,

    /// <summary>Cloudflare origin certificate files behind Cloudflare's proxy (SSL mode Full (strict)).</summary>
    Cloudflare,

    /// <summary>Automatic certificates from Let's Encrypt (ACME e-mail from the environment).</summary>
    LetsEncrypt,

    /// <summary>Certificate and key files issued by an internal CA.</summary>
    Custom,
}
