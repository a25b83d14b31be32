namespace SfpPlatform.Topology.Services;

/// <summary>
/// An image with a pinned tag. Never <c>latest</c> or a floating major: the same bytes run on every operator's host and
/// under F5. The platform's own images take their tag from <c>SFP_VERSION</c> instead (<see cref="Versioned"/>).
/// </summary>
/// <param name="Registry">The registry, e.g. <c>docker.io</c> or <c>ghcr.io</c>.</param>
/// <param name="Repository">The repository within the registry, e.g. <c>library/postgres</c>.</param>
/// <param name="Tag">The pinned tag; empty for the platform's own images.</param>
public sealed record ContainerImage(string Registry, string Repository, string Tag)
{
    /// <summary>True for the platform's own images (built from this repository, tagged with the release).</summary>
    public bool Versioned => Tag.Length == 0;

    /// <summary>The reference as <c>docker pull</c> takes it; Docker Hub's library images by their short name.</summary>
    public string Reference => Registry == "docker.io"
        ? $"{(Repository.StartsWith("library/", StringComparison.Ordinal) ? Repository["library/".Length..] : Repository)}:{Tag}"
        : $"{Registry}/{Repository}:{Tag}";

    public static ContainerImage Platform(string name) => new("", name, "");
}
