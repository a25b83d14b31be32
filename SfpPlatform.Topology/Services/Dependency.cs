namespace SfpPlatform.Topology.Services;

public sealed record Dependency(string Service, DependencyCondition Condition = DependencyCondition.Healthy);
