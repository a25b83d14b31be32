using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary>Who holds a lease: a pull request of a repository.</summary>
public sealed record LeaseHolder(string Provider, string Repository, long PullRequest, string? ProjectKey);
