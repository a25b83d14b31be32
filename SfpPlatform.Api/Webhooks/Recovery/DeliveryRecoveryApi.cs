using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.Api.Webhooks.Recovery;

/// <summary>
/// <c>POST /sfp/api/webhooks/deliveries/recover</c> (owners): one delivery-recovery pass now — after fixing a hook's
/// URL or secret, say — rather than at the next scheduled one; audited.
/// </summary>
public static class DeliveryRecoveryApi
{
    public const string Path = "/sfp/api/webhooks/deliveries/recover";

    public static IEndpointRouteBuilder MapDeliveryRecoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, RecoverAsync).WithTags("Webhook deliveries").WithName("RecoverGitHubDeliveries")
            .RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Asks GitHub to redeliver every recent delivery that failed and that the platform has not stored (owners).");
        return app;
    }

    /// <summary>Lists each GitHub hook's recent deliveries and asks for the failed, unstored ones again; says what it did.</summary>
    internal static async Task<Ok<DeliveryRecoveryReport>> RecoverAsync(
        ClaimsPrincipal user, DeliveryRecovery recovery, AuditLog audit, CancellationToken cancellationToken)
    {
        var report = await recovery.RecoverAsync(cancellationToken);
        await audit.RecordAsync(user.ToAuditActor(), AuditActions.DeliveriesRecovered, "deliveries:github",
            report.HooksSkipped == 0 && report.Failed == 0 ? AuditOutcomes.Succeeded : AuditOutcomes.Failed, report.Summary, cancellationToken);
        return TypedResults.Ok(report);
    }
}
