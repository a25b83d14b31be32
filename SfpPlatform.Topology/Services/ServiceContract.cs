namespace SfpPlatform.Topology.Services;

/// <summary>
/// A service's runtime contract, the one place it is said: image and pinned tag, ports, environment, volumes, health
/// check and what it waits for. <c>deploy/compose.yaml</c> and the AppHost's resources are both rendered from it.
/// </summary>
public sealed record ServiceContract
{
    public required string Name { get; init; }

    public required ServiceKind Kind { get; init; }

    public required ContainerImage Image { get; init; }

    /// <summary>What it is, for people reading the manifests.</summary>
    public required string Title { get; init; }

    /// <summary>Where it runs.</summary>
    public Runtimes In { get; init; } = Runtimes.WithContainers;

    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    /// <summary>Host ports published in production (only Caddy has any): <c>host:container[/udp]</c>.</summary>
    public IReadOnlyList<string> PublishedPorts { get; init; } = [];

    public IReadOnlyList<EnvironmentSetting> Environment { get; init; } = [];

    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];

    /// <summary>Arguments to the image's entrypoint.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public HealthCheck? Health { get; init; }

    public IReadOnlyList<Dependency> DependsOn { get; init; } = [];

    /// <summary>A one-shot initialiser: runs to completion, never restarted.</summary>
    public bool RunsOnce { get; init; }

    public ServicePort Port(string name) =>
        Ports.SingleOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"{Name} has no port '{name}'.");

    /// <summary>The settings that apply in <paramref name="runtime"/>.</summary>
    public IEnumerable<EnvironmentSetting> EnvironmentIn(Runtimes runtime) => Environment.Where(e => (e.In & runtime) != 0);
}
