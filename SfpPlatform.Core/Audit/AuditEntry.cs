namespace SfpPlatform.Core.Audit;

/// <summary>
/// One change made by a person or a token: who (<see cref="Actor"/>, with the role they acted in), what
/// (<see cref="Action"/>, one of <see cref="AuditActions"/>), to what (<see cref="Target"/>), when, and how it ended.
/// Never a secret: <see cref="Detail"/> holds names and counts, and the secret scan of the reliability suite reads it.
/// </summary>
public sealed class AuditEntry
{
    public const int MaxDetailLength = 1000;

    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The token's subject (a GoTrue user id or e-mail, a development subject), or an operator command's name.</summary>
    public required string Actor { get; set; }

    /// <summary>The platform role the actor held (<c>owner</c>, <c>member</c>, <c>application</c>), or <c>operator</c>.</summary>
    public string? ActorRole { get; set; }

    public required string Action { get; set; }

    /// <summary>What was acted on, as <c>kind:id</c> (e.g. <c>integration:0190…</c>, <c>run:…</c>, <c>project:contoso</c>).</summary>
    public required string Target { get; set; }

    /// <summary><c>succeeded</c>, or what else happened (<c>failed</c>, <c>refused</c>, <c>not-found</c>).</summary>
    public required string Outcome { get; set; }

    public string? Detail { get; set; }
}
