using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Routing;

/// <summary>Marks an endpoint (the edge's probes) as served on the management listener only.</summary>
public sealed record ManagementListenerMetadata;
