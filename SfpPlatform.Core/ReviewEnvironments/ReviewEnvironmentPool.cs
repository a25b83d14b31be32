using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.ReviewEnvironments;

public sealed class ReviewEnvironmentPool
{
    public List<ReviewOrg> Orgs { get; set; } = [];
}
