namespace SfpPlatform.Topology.Services;

public enum VolumeKind
{
    /// <summary>A named volume: state that outlives the container (compose <c>volumes:</c>; AppHost <c>sfp-{name}</c>).</summary>
    Named,

    /// <summary>A file or folder rendered into <c>deploy/</c> (compose <c>./{source}</c>; the AppHost writes the same
    /// rendering under its data directory and mounts it from there).</summary>
    Rendered,

    /// <summary>A host path only the operator provides (compose only, e.g. the certificate folder); the source may
    /// use compose variables.</summary>
    Host,
}
