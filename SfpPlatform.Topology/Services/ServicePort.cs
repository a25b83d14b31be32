namespace SfpPlatform.Topology.Services;

/// <summary>A port a service listens on inside the deployment network (compose service name as host).</summary>
/// <param name="Name">The endpoint name (<c>http</c>, <c>grpc</c>, <c>tcp</c>): Aspire's endpoint and service-discovery name.</param>
/// <param name="Port">The port inside the container.</param>
/// <param name="Scheme"><c>http</c> or <c>tcp</c>.</param>
public sealed record ServicePort(string Name, int Port, string Scheme = "http");
