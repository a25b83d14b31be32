using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Builds;

/// <summary>Records builds and hands out their numbers.</summary>
public sealed class BuildRecords(SfpDbContext db)
{
    /// <summary>
    /// The run's build number in <paramref name="scope"/>: the one it already has (a retried run), else the scope's
    /// next — counted and recorded in one statement.
    /// </summary>
    public async Task<long> NumberAsync(Guid runId, string scope, string provider, string repository, string? branch, string sha, CancellationToken cancellationToken)
    {
        var numbers = await db.Database.SqlQuery<long>($"""
            WITH existing AS (SELECT number FROM builds WHERE run_id = {runId}),
            counted AS (
                INSERT INTO build_counters AS c (scope, last)
                SELECT {scope}, 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
                ON CONFLICT (scope) DO UPDATE SET last = c.last + 1
                RETURNING last),
            recorded AS (
                INSERT INTO builds (run_id, scope, number, provider, repository, branch, sha, created_at)
                SELECT {runId}, {scope}, last, {provider}, {repository}, {branch}, {sha}, now() FROM counted
                RETURNING number)
            SELECT number AS "Value" FROM existing
            UNION ALL
            SELECT number FROM recorded
            """).ToListAsync(cancellationToken);
        return numbers.Single();
    }

    /// <summary>Records what the build published.</summary>
    public Task RecordArtifactsAsync<T>(Guid runId, IReadOnlyList<T> artifacts, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(artifacts, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return db.Database.ExecuteSqlAsync($"UPDATE builds SET artifacts = CAST({json} AS jsonb) WHERE run_id = {runId}", cancellationToken);
    }
}
