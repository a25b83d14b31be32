using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary>An org of a pool: an alias (the lease key), and what reviewers are told to sign in with.</summary>
public sealed class ReviewOrg
{
    public string Name { get; set; } = "";

    public string? Username { get; set; }

    public Uri? LoginUrl { get; set; }
}
