using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SfpPlatform.Api.Problems;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Authentication;
using SfpPlatform.Core.Webhooks.Headers;
using static SfpPlatform.Api.Webhooks.WebhookReceiversApi;

namespace SfpPlatform.Api.Webhooks.AzureDevOps;

/// <summary>
/// The Azure DevOps service-hook receiver, top-down: typed headers → one authentication call (basic auth; it needs
/// no body, so an unauthenticated caller's body is never read) → content type → raw body → the body parsed once →
/// the envelope's id and event type → normalised → stored with its run → 200.
/// </summary>
public static partial class AzureDevOpsWebhookEndpoint
{
    public const string Path = "/azure-devops";

    private const int MaxDeliveryIdLength = 200;
    private const int MaxEventTypeLength = 100;

    public static RouteHandlerBuilder MapAzureDevOpsWebhook(this IEndpointRouteBuilder group, string path) =>
        group.MapPost(path, ReceiveAsync).WithName("ReceiveAzureDevOpsWebhook")
            .WithSummary("Azure DevOps service-hook receiver (basic auth of an azure-devops-webhook integration).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    internal static async Task<Results<Ok<WebhookAcknowledgement>, ProblemHttpResult, BasicChallengeProblem, DatabaseUnavailableProblem>> ReceiveAsync(
        HttpRequest request, [AsParameters] WebhookReceiverServices services, CancellationToken cancellationToken)
    {
        var headers = AzureDevOpsDeliveryHeaders.Parse(request.Headers);
        WebhookPayload? payload = null;
        try
        {
            var authentication = await services.Authenticator.AuthenticateAzureDevOpsAsync(headers.Authorization, cancellationToken);
            if (!authentication.IsValid)
            {
                Log.Refused(services.Logger, Clip(headers.ActivityId), authentication.Result);
                return Refusal(authentication.Result);
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

            payload = WebhookPayload.Parse(body);
            if (Unreadable(payload) is { } unreadable)
            {
                return unreadable;
            }

            string deliveryId, eventType;
            var tooDeep = payload.Error == WebhookPayloadError.TooDeep;
            try
            {
                // A body nested too deep for a document is read for its envelope alone (its top-level strings).
                (deliveryId, eventType) = tooDeep
                    ? (payload.TopLevelString("id") ?? "", payload.TopLevelString("eventType") ?? "") switch
                    {
                        ({ Length: > 0 } id, { Length: > 0 } type) => (id, type),
                        _ => throw new JsonException("An Azure DevOps service-hook payload carries a string 'id' and 'eventType'."),
                    }
                    : AzureDevOpsEvents.ReadEnvelope(payload.Root);
            }
            catch (JsonException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Not a service-hook payload", e.Message);
            }

            if (deliveryId.Length > MaxDeliveryIdLength || !WebhookNames.IsName(eventType, MaxEventTypeLength))
            {
                return Problem(StatusCodes.Status400BadRequest, "Not a service-hook payload",
                    $"The payload 'id' must be at most {MaxDeliveryIdLength} characters and 'eventType' a name of {WebhookNames.Allowed}.");
            }

            var normalized = tooDeep
                ? new ProviderEvent
                {
                    Provider = WebhookProviders.AzureDevOps,
                    Name = eventType,
                    Problem = $"the payload nests deeper than {WebhookPayload.MaxDepth} levels; it is stored, not routed",
                }
                : AzureDevOpsEvents.Normalize(payload.Root);
            var delivery = new IncomingDelivery(WebhookProviders.AzureDevOps, deliveryId, eventType, headers.ToStoredHeaders(), body, authentication.Source);
            return Acknowledge(await services.Intake.AcceptAsync(delivery, normalized, cancellationToken));
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            Log.DatabaseUnavailable(services.Logger, Clip(headers.ActivityId));
            return DatabaseUnavailableProblem.Instance;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No authentic delivery is answered 500 (a provider drops it): whatever failed, nothing was stored, and
            // the provider is told to send it again (GitHub's is recovered by the redelivery sweep).
            Log.Failed(services.Logger, Clip(headers.ActivityId), e);
            return InternalFailure(request.HttpContext);
        }
        finally
        {
            payload?.Dispose();
        }
    }

    private static BasicChallengeProblem Refusal(WebhookAuthenticationResult result) => result switch
    {
        WebhookAuthenticationResult.MissingBasicAuth => new BasicChallengeProblem("Basic authentication required",
            "Azure DevOps service hooks carry no signature: configure basic authentication (user name and password of an azure-devops-webhook integration) on the subscription."),
        WebhookAuthenticationResult.MalformedBasicAuth => new BasicChallengeProblem("Basic authentication required",
            "The Authorization header must be 'Basic' and the base64 of 'user name:password' of an azure-devops-webhook integration."),
        _ => new BasicChallengeProblem("Invalid credentials", "The basic-auth user name and password match no azure-devops-webhook integration."),
    };

    /// <summary>The activity id as logged: a header anyone can send, so never more than a GUID's worth and a little.</summary>
    private static string Clip(string? activityId) => activityId is null ? "(none)" : activityId.Length <= 64 ? activityId : activityId[..64];

    /// <summary>Log lines of the Azure DevOps receiver: never the credentials or the body.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Refused an Azure DevOps delivery (activity {ActivityId}): {Result}")]
        public static partial void Refused(ILogger logger, string activityId, WebhookAuthenticationResult result);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "An Azure DevOps delivery (activity {ActivityId}) was not stored: the database is unavailable (503)")]
        public static partial void DatabaseUnavailable(ILogger logger, string activityId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "An Azure DevOps delivery (activity {ActivityId}) was not stored: the intake failed (503)")]
        public static partial void Failed(ILogger logger, string activityId, Exception exception);
    }
}
