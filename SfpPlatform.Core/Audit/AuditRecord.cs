namespace SfpPlatform.Core.Audit;

/// <summary>
/// A row of the audit trail as read: <c>audit_entries</c> and <c>credential_audit</c> (each decryption, as
/// <see cref="AuditActions.CredentialDecrypted"/>) side by side. <see cref="Source"/> says which table.
/// </summary>
public sealed class AuditRecord
{
    public required string Source { get; init; }

    public long Id { get; init; }

    public DateTimeOffset At { get; init; }

    public required string Actor { get; init; }

    public string? ActorRole { get; init; }

    public required string Action { get; init; }

    public required string Target { get; init; }

    public required string Outcome { get; init; }

    public string? Detail { get; init; }
}
