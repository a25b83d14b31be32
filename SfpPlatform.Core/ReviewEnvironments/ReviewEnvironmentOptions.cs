using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary>The review-environment pools (<c>ReviewEnvironments</c>): orgs per pool, and how long a lease lasts.</summary>
public sealed class ReviewEnvironmentOptions
{
    public const string SectionName = "ReviewEnvironments";

    /// <summary>The pool a project without a pool of its own uses.</summary>
    public const string DefaultPool = "default";

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Pools by name: a project uses the pool named after its key, else <see cref="DefaultPool"/>.</summary>
    public Dictionary<string, ReviewEnvironmentPool> Pools { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public (string Name, ReviewEnvironmentPool Pool)? PoolFor(string? projectKey) =>
        projectKey is not null && Pools.TryGetValue(projectKey, out var own) && own.Orgs.Count > 0 ? (projectKey, own)
        : Pools.TryGetValue(DefaultPool, out var shared) && shared.Orgs.Count > 0 ? (DefaultPool, shared)
        : null;
}
