namespace SfpPlatform.Topology.Services;

public enum ServiceKind
{
    /// <summary>A third-party image: a container in compose and in the AppHost's containers runtime.</summary>
    Container,

    /// <summary>One of the platform's .NET services: an image built from this repository in compose, a project under
    /// the AppHost (both runtimes).</summary>
    Project,
}
