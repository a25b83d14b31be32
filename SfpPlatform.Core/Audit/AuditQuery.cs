using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Audit;

/// <summary>Filters of the audit trail; every one optional.</summary>
public sealed record AuditFilter(string? Actor = null, string? Action = null, string? Target = null, string? Outcome = null,
    DateTimeOffset? Since = null, DateTimeOffset? Until = null);

/// <summary>Reads the audit trail (both tables), newest first.</summary>
public sealed class AuditQuery(SfpDbContext db)
{
    /// <summary>Both tables as one query EF Core composes the filters and the paging onto.</summary>
    private IQueryable<AuditRecord> All() => db.Database.SqlQueryRaw<AuditRecord>(AllSql);

    // The action of a decryption is a constant of ours, written into the statement (a parameter in a UNION's select
    // list has no type Postgres can infer).
    private const string AllSql = $"""
        SELECT 'audit' AS source, id, at, actor, actor_role, action,
               target, outcome, detail
        FROM audit_entries
        UNION ALL
        SELECT 'credential', id, at, caller, NULL, '{AuditActions.CredentialDecrypted}', 'integration:' || integration_id::text, outcome, purpose
        FROM credential_audit
        """;

    public IQueryable<AuditRecord> Filtered(AuditFilter filter)
    {
        var query = All();
        if (!string.IsNullOrEmpty(filter.Actor))
        {
            query = query.Where(r => r.Actor == filter.Actor);
        }

        if (!string.IsNullOrEmpty(filter.Action))
        {
            query = query.Where(r => r.Action == filter.Action);
        }

        if (!string.IsNullOrEmpty(filter.Target))
        {
            query = query.Where(r => r.Target == filter.Target);
        }

        if (!string.IsNullOrEmpty(filter.Outcome))
        {
            query = query.Where(r => r.Outcome == filter.Outcome);
        }

        if (filter.Since is { } since)
        {
            query = query.Where(r => r.At >= since);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(r => r.At < until);
        }

        return query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id);
    }

    public async Task<(long Count, IReadOnlyList<AuditRecord> Page)> PageAsync(AuditFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken)
    {
        var query = Filtered(filter);
        var count = await query.LongCountAsync(cancellationToken);
        var page = await query.Skip(pageIndex * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (count, page);
    }
}
