using Microsoft.AspNetCore.Http.HttpResults;
using SfpPlatform.Api.Problems;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Authentication;
using SfpPlatform.Core.Webhooks.Headers;
using static SfpPlatform.Api.Webhooks.WebhookReceiversApi;

namespace SfpPlatform.Api.Webhooks.GitHub;

/// <summary>
/// The GitHub receiver, top-down: typed headers → content type → raw body → one authentication call (signature,
/// hook target, HMAC) → the body parsed once → normalised → stored with its run → 200.
/// </summary>
public static partial class GitHubWebhookEndpoint
{
    public const string Path = "/github";

    public static RouteHandlerBuilder MapGitHubWebhook(this IEndpointRouteBuilder group, string path) =>
        group.MapPost(path, ReceiveAsync).WithName("ReceiveGitHubWebhook")
            .WithSummary("GitHub webhook receiver (signed with the webhook secret of a github-webhook integration).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    internal static async Task<Results<Ok<WebhookAcknowledgement>, ProblemHttpResult, DatabaseUnavailableProblem>> ReceiveAsync(
        HttpRequest request, [AsParameters] WebhookReceiverServices services, CancellationToken cancellationToken)
    {
        var headers = GitHubDeliveryHeaders.Parse(request.Headers);
        if (headers.Error is { } headerError)
        {
            return HeaderProblem("GitHub", headerError);
        }

        if (UnsupportedContentType(request) is { } unsupported)
        {
            return unsupported;
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TooLarge();
        }

        WebhookPayload? payload = null;
        try
        {
            // GitHub names the hook in its headers. For a sender that does not, the payload's repository or
            // organisation does: then the body is parsed here, before authentication, and that parse is the one used.
            var target = headers.Target;
            if (!headers.NamesTarget)
            {
                payload = WebhookPayload.Parse(body);
                target = GitHubHookTarget.FromPayload(payload.Root);
            }

            var authentication = await services.Authenticator.AuthenticateGitHubAsync(headers.Signature, target, body, cancellationToken);
            if (!authentication.IsValid)
            {
                Log.Refused(services.Logger, headers.DeliveryId, authentication.Result, target?.Type, target?.Id);
                return Refusal(authentication.Result, headers, target);
            }

            if (!GitHubEvents.Known.Contains(headers.Event))
            {
                return Problem(StatusCodes.Status400BadRequest, "Unknown event", $"'{headers.Event}' is not a GitHub webhook event.");
            }

            payload ??= WebhookPayload.Parse(body);
            if (Unreadable(payload) is { } unreadable)
            {
                return unreadable;
            }

            var normalized = payload.Error == WebhookPayloadError.TooDeep
                ? GitHubEvents.TooDeep(headers.Event, payload)
                : GitHubEvents.Normalize(headers.Event, payload.Root);
            var delivery = new IncomingDelivery(WebhookProviders.GitHub, headers.DeliveryId, headers.Event, headers.ToStoredHeaders(), body, authentication.Source);
            return Acknowledge(await services.Intake.AcceptAsync(delivery, normalized, cancellationToken));
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            Log.DatabaseUnavailable(services.Logger, headers.DeliveryId);
            return DatabaseUnavailableProblem.Instance;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No authentic delivery is answered 500 (a provider drops it): whatever failed, nothing was stored, and
            // the provider is told to send it again (GitHub's is recovered by the redelivery sweep).
            Log.Failed(services.Logger, headers.DeliveryId, e);
            return InternalFailure(request.HttpContext);
        }
        finally
        {
            payload?.Dispose();
        }
    }

    private static ProblemHttpResult Refusal(WebhookAuthenticationResult result, GitHubDeliveryHeaders headers, GitHubHookTarget? target) => result switch
    {
        WebhookAuthenticationResult.MissingSignature or WebhookAuthenticationResult.MalformedSignature => Problem(StatusCodes.Status401Unauthorized, "Signature required",
            $"{GitHubDeliveryHeaders.SignatureHeader} must be 'sha256=' followed by the 64 hex digits of the HMAC-SHA256 of the body under the webhook secret."),
        WebhookAuthenticationResult.NoTarget when headers.NamesTarget => Problem(StatusCodes.Status401Unauthorized, "Unknown webhook",
            $"{GitHubDeliveryHeaders.TargetIdHeader} must be a number, so no webhook secret applies."),
        WebhookAuthenticationResult.NoTarget => Problem(StatusCodes.Status401Unauthorized, "Unknown webhook",
            $"The delivery names no hook target ({GitHubDeliveryHeaders.TargetTypeHeader}/-ID), so no webhook secret applies."),
        WebhookAuthenticationResult.UnknownTarget => Problem(StatusCodes.Status401Unauthorized, "Unknown webhook",
            $"No github-webhook integration is registered for target {target?.Type} {target?.Id}."),
        _ => Problem(StatusCodes.Status401Unauthorized, "Invalid signature",
            $"{GitHubDeliveryHeaders.SignatureHeader} does not match the body under the webhook secret of this hook's integration."),
    };

    /// <summary>Log lines of the GitHub receiver: never a secret, a signature or the body.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Refused a GitHub delivery {DeliveryId}: {Result} (hook target {TargetType} {TargetId})")]
        public static partial void Refused(ILogger logger, string deliveryId, WebhookAuthenticationResult result, string? targetType, string? targetId);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "A GitHub delivery {DeliveryId} was not stored: the database is unavailable (503)")]
        public static partial void DatabaseUnavailable(ILogger logger, string deliveryId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "A GitHub delivery {DeliveryId} was not stored: the intake failed (503)")]
        public static partial void Failed(ILogger logger, string deliveryId, Exception exception);
    }
}
