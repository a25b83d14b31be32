namespace SfpPlatform.Contracts.Audit;

/// <summary>
/// One entry of the audit trail: who (<paramref name="Actor"/>, acting as <paramref name="ActorRole"/>) did what
/// (<paramref name="Action"/>) to what (<paramref name="Target"/>), when, and how it ended. <paramref name="Source"/> is
/// <c>audit</c> (changes by people and tokens) or <c>credential</c> (a decryption of a stored secret).
/// </summary>
public sealed record AuditEntryResponse(
    string Source, long Id, DateTimeOffset At, string Actor, string? ActorRole, string Action, string Target, string Outcome, string? Detail);
