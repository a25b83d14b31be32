using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Routing;

/// <summary>
/// Marks a route that takes its path exactly, without the trailing slash ASP.NET Core routing would forgive
/// (Caddy's <c>handle /sfp/*</c> takes <c>/sfp/</c> but not <c>/sfp</c>).
/// </summary>
public sealed record ExactPathMetadata(string Path);
