using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Audit;

/// <summary>
/// Writes the audit trail. <see cref="Add"/> joins the caller's next <c>SaveChanges</c> (the change and its record are
/// stored together, or neither); <see cref="RecordAsync"/> stores at once, for changes made by statements of their own.
/// </summary>
public sealed class AuditLog(SfpDbContext db, TimeProvider time)
{
    public AuditEntry Add(AuditActor actor, string action, string target, string outcome = AuditOutcomes.Succeeded, string? detail = null)
    {
        var entry = new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = Clip(actor.Name, 200),
            ActorRole = actor.Role,
            Action = action,
            Target = Clip(target, 300),
            Outcome = outcome,
            Detail = detail is null ? null : Clip(detail, AuditEntry.MaxDetailLength),
        };
        db.Set<AuditEntry>().Add(entry);
        return entry;
    }

    public async Task RecordAsync(
        AuditActor actor, string action, string target, string outcome = AuditOutcomes.Succeeded, string? detail = null, CancellationToken cancellationToken = default)
    {
        var entry = Add(actor, action, target, outcome, detail);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Entry(entry).State = EntityState.Detached;
        }
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
