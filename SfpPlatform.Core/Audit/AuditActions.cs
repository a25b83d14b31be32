namespace SfpPlatform.Core.Audit;

/// <summary>The actions the audit trail records (the <c>action</c> column); credential decryptions come from <c>credential_audit</c>.</summary>
public static class AuditActions
{
    public const string IntegrationCreated = "integration.created";
    public const string IntegrationUpdated = "integration.updated";
    public const string IntegrationRotated = "integration.rotated";
    public const string IntegrationDeleted = "integration.deleted";
    public const string IntegrationTested = "integration.tested";
    public const string RoutingRulesChanged = "routing-rules.changed";
    public const string RoutingRulesDeleted = "routing-rules.deleted";
    public const string DeliveryReplayed = "delivery.replayed";
    public const string DeliveriesRecovered = "deliveries.recovered";
    public const string RunCancelled = "run.cancelled";
    public const string CommandRun = "command.run";
    public const string SignedIn = "session.signed-in";
    public const string TokenIssued = "token.issued";
    public const string CredentialDecrypted = "credential.decrypted";
    public const string CredentialKeyRotated = "credentials.key-rotated";
    public const string Purged = "retention.purged";

    /// <summary>A schedule was created, paused, resumed or deleted (the detail says which).</summary>
    public const string ScheduleChanged = "schedule.changed";

    public static readonly IReadOnlyList<string> All =
    [
        IntegrationCreated, IntegrationUpdated, IntegrationRotated, IntegrationDeleted, IntegrationTested, RoutingRulesChanged,
        RoutingRulesDeleted, DeliveryReplayed, DeliveriesRecovered, RunCancelled, CommandRun, SignedIn, TokenIssued, CredentialDecrypted,
        CredentialKeyRotated, Purged, ScheduleChanged,
    ];
}

/// <summary>The <c>outcome</c> values.</summary>
public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Refused = "refused";
}
