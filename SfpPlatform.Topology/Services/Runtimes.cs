namespace SfpPlatform.Topology.Services;

/// <summary>Where a service or a setting applies: production's compose file, and the AppHost's two runtimes.</summary>
[Flags]
public enum Runtimes
{
    None = 0,

    /// <summary><c>deploy/compose.yaml</c>: the operator's host.</summary>
    Compose = 1,

    /// <summary>The AppHost with a container runtime (F5 with Docker or Podman).</summary>
    Containers = 2,

    /// <summary>The AppHost's local processes (no containers; the embedded engine, the development issuer).</summary>
    Processes = 4,

    /// <summary>Where containers run: production and the AppHost's containers runtime.</summary>
    WithContainers = Compose | Containers,

    All = Compose | Containers | Processes,
}
