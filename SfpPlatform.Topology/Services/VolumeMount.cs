namespace SfpPlatform.Topology.Services;

/// <summary>Something mounted into a container.</summary>
public sealed record VolumeMount(VolumeKind Kind, string Source, string Target, bool ReadOnly = false);
