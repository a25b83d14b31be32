
namespace SfpPlatform.Core.Credentials;

/// <summary>One decryption of a stored secret (or an attempt): which, why, by whom, when. Never the secret.</summary>
public sealed class CredentialAuditEntry
{
    public long Id { get; set; }

    public Guid IntegrationId { get; set; }

    public required string Purpose { get; set; }

    public required string Caller { get; set; }

    /// <summary><c>decrypted</c>, or why it failed (<c>wrong-key</c>, <c>missing-key</c>).</summary>
    public required string Outcome { get; set; }

    public DateTimeOffset At { get; set; }
}
