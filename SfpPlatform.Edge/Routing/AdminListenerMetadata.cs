using Microsoft.AspNetCore.Routing.Matching;
using SfpPlatform.Edge.Extensions;

namespace SfpPlatform.Edge.Routing;

/// <summary>Marks a proxy endpoint as served on one admin service's listener only.</summary>
public sealed record AdminListenerMetadata(string AdminId);
