namespace SfpPlatform.AppHost.Runtime;

/// <summary>What the chosen runtime provides to the platform's own services.</summary>
/// <param name="Kind">The runtime that was chosen.</param>
/// <param name="Renderer">The service contracts rendered for that runtime, with the resources added so far.</param>
internal sealed record PlatformInfrastructure(RuntimeKind Kind, ContractRenderer Renderer)
{
    /// <summary>The running services the edge serves on admin ports, by service name.</summary>
    public IReadOnlyDictionary<string, IResourceBuilder<IResourceWithEndpoints>> AdminServices { get; init; } =
        new Dictionary<string, IResourceBuilder<IResourceWithEndpoints>>();
}
