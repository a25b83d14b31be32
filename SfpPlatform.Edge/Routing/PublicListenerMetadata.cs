using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Routing;

/// <summary>Marks a proxy endpoint as served on the public listener only.</summary>
public sealed record PublicListenerMetadata;
