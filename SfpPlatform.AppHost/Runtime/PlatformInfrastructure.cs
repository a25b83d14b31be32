namespace SfpPlatform.AppHost.Runtime;

/// <summary>What the chosen runtime provides to the platform's own services.</summary>
/// <param name="Kind">The runtime that was chosen.</param>
/// <param name="Database">The <c>sfp</c> database (connection string named <c>sfp</c>).</param>
/// <param name="Verdaccio">The private npm registry.</param>
/// <param name="Auth">Supabase GoTrue where it runs; null where the Api's development issuer stands in.</param>
/// <param name="JwtSecret">The HS256 secret GoTrue signs with and the Api validates with.</param>
/// <param name="RegistryAccounts">Verdaccio's generated publisher and reader accounts.</param>
internal sealed record PlatformInfrastructure(
    RuntimeKind Kind,
    IResourceBuilder<IResourceWithConnectionString> Database,
    IResourceBuilder<IResourceWithEndpoints> Verdaccio,
    IResourceBuilder<IResourceWithEndpoints>? Auth,
    IResourceBuilder<ParameterResource> JwtSecret,
    VerdaccioConfiguration.Accounts RegistryAccounts)
{
    /// <summary>Hatchet (hatchet-lite) where containers run: the Workers run the workflows on it.</summary>
    public HatchetEngine? Hatchet { get; init; }

    /// <summary>The running services the edge serves on admin ports, by service name.</summary>
    public IReadOnlyDictionary<string, IResourceBuilder<IResourceWithEndpoints>> AdminServices { get; init; } =
        new Dictionary<string, IResourceBuilder<IResourceWithEndpoints>>();
}

/// <summary>Hatchet's container and the API token the platform uses with it (created in Hatchet's dashboard).</summary>
internal sealed record HatchetEngine(IResourceBuilder<ContainerResource> Container, IResourceBuilder<ParameterResource> Token);
