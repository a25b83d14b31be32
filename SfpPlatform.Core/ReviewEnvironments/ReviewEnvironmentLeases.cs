using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.ReviewEnvironments;

/// <summary>
/// Leases orgs of a pool to pull requests in Postgres. Every operation is one statement (or a short sequence of
/// them, each atomic), so concurrent workers never hand one org to two pull requests, and a pull request holds at
/// most one org of a pool (a unique index on its unreleased lease).
/// </summary>
public sealed class ReviewEnvironmentLeases(SfpDbContext db)
{
    /// <summary>
    /// The pull request's lease in the pool: its current one, else the first free org's. Null when every org is
    /// leased to someone else.
    /// </summary>
    public async Task<ReviewEnvironmentLease?> AcquireAsync(
        string pool, IReadOnlyList<string> orgs, LeaseHolder holder, Guid runId, TimeSpan duration, CancellationToken cancellationToken)
    {
        await ExpireAsync(pool, cancellationToken);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await CurrentAsync(pool, holder, cancellationToken) is { } mine)
            {
                return mine;
            }

            foreach (var org in orgs)
            {
                try
                {
                    var taken = await db.Database.ExecuteSqlAsync($"""
                        INSERT INTO review_environment_leases AS l
                            (pool, org, provider, repository, pull_request, project_key, run_id, leased_at, expires_at, released_at)
                        VALUES ({pool}, {org}, {holder.Provider}, {holder.Repository}, {holder.PullRequest}, {holder.ProjectKey}, {runId},
                                now(), now() + {duration}, NULL)
                        ON CONFLICT (pool, org) DO UPDATE SET
                            provider = excluded.provider, repository = excluded.repository, pull_request = excluded.pull_request,
                            project_key = excluded.project_key, run_id = excluded.run_id, leased_at = excluded.leased_at,
                            expires_at = excluded.expires_at, released_at = NULL, expiry_reported_at = NULL
                        WHERE l.released_at IS NOT NULL
                        """, cancellationToken);
                    if (taken == 1)
                    {
                        return await CurrentAsync(pool, holder, cancellationToken);
                    }
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    // Another run leased an org to this pull request meanwhile: take that one.
                    break;
                }
            }
        }

        return await CurrentAsync(pool, holder, cancellationToken);
    }

    /// <summary>The pull request's unreleased, unexpired lease in the pool.</summary>
    public Task<ReviewEnvironmentLease?> CurrentAsync(string pool, LeaseHolder holder, CancellationToken cancellationToken) =>
        db.ReviewEnvironmentLeases.AsNoTracking()
            .Where(l => l.Pool == pool && l.Provider == holder.Provider && l.Repository == holder.Repository
                && l.PullRequest == holder.PullRequest && l.ReleasedAt == null && l.ExpiresAt > DateTimeOffset.UtcNow)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Extends the pull request's lease to <paramref name="duration"/> from now; null when it holds none.</summary>
    public async Task<ReviewEnvironmentLease?> ExtendAsync(string pool, LeaseHolder holder, TimeSpan duration, CancellationToken cancellationToken)
    {
        await ExpireAsync(pool, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE review_environment_leases SET expires_at = now() + {duration}
            WHERE pool = {pool} AND provider = {holder.Provider} AND repository = {holder.Repository}
              AND pull_request = {holder.PullRequest} AND released_at IS NULL
            """, cancellationToken);
        return await CurrentAsync(pool, holder, cancellationToken);
    }

    /// <summary>Releases the pull request's lease; returns the org it held, or null.</summary>
    public async Task<string?> ReleaseAsync(string pool, LeaseHolder holder, CancellationToken cancellationToken)
    {
        await ExpireAsync(pool, cancellationToken);
        var released = await db.Database.SqlQuery<string>($"""
            UPDATE review_environment_leases SET released_at = now()
            WHERE pool = {pool} AND provider = {holder.Provider} AND repository = {holder.Repository}
              AND pull_request = {holder.PullRequest} AND released_at IS NULL
            RETURNING org AS "Value"
            """).ToListAsync(cancellationToken);
        return released.SingleOrDefault();
    }

    /// <summary>
    /// The lease-expiry sweep: releases every lease past its expiry (in every pool) and returns the leases released by
    /// expiry whose pull request has not been told yet (at most <paramref name="limit"/>, expired after
    /// <paramref name="since"/>: an older one is not worth a comment any more), oldest first.
    /// </summary>
    public async Task<List<ReviewEnvironmentLease>> ExpiredUnreportedAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE review_environment_leases SET released_at = expires_at
            WHERE released_at IS NULL AND expires_at <= now()
            """, cancellationToken);
        return await db.ReviewEnvironmentLeases.AsNoTracking()
            .Where(l => l.ReleasedAt != null && l.ReleasedAt == l.ExpiresAt && l.ExpiryReportedAt == null && l.ExpiresAt > since)
            .OrderBy(l => l.ExpiresAt).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Tells the pull request of a lease released by expiry (<paramref name="tell"/>) and records that it was told, one
    /// pass at a time: the lease's row stays locked from the check to the record, so a pass running alongside (a tick
    /// started while an earlier pass is still commenting, a second Workers process) skips the lease instead of telling
    /// the pull request again, and a pass that fails or dies before the record leaves it to the next. False when the
    /// lease was reported already or another pass is reporting it.
    /// </summary>
    public async Task<bool> ReportExpiryAsync(ReviewEnvironmentLease lease, Func<CancellationToken, Task> tell, CancellationToken cancellationToken)
    {
        // A connection of its own holds the lock: the context's retrying execution strategy refuses a transaction opened
        // around it, and tell() may use the context meanwhile (the provider layer reads and audits credentials).
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string Unreported = "pool = $1 AND org = $2 AND expires_at = $3 AND released_at = expires_at AND expiry_reported_at IS NULL";
        if (await ExecuteAsync($"SELECT 1 FROM review_environment_leases WHERE {Unreported} FOR UPDATE SKIP LOCKED") is null)
        {
            return false;
        }

        await tell(cancellationToken);
        await ExecuteAsync($"UPDATE review_environment_leases SET expiry_reported_at = now() WHERE {Unreported}");
        await transaction.CommitAsync(cancellationToken);
        return true;

        async Task<object?> ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction)
            {
                Parameters = { new() { Value = lease.Pool }, new() { Value = lease.Org }, new() { Value = lease.ExpiresAt } },
            };
            return await command.ExecuteScalarAsync(cancellationToken);
        }
    }

    /// <summary>Marks leases past their expiry as released (at their expiry), freeing the org and its pull request.</summary>
    private Task ExpireAsync(string pool, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE review_environment_leases SET released_at = expires_at
            WHERE pool = {pool} AND released_at IS NULL AND expires_at <= now()
            """, cancellationToken);
}
