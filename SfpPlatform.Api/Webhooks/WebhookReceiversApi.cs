using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.HttpResults;
using SfpPlatform.Api.Problems;
using SfpPlatform.Api.Webhooks.AzureDevOps;
using SfpPlatform.Api.Webhooks.GitHub;
using SfpPlatform.Topology;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Headers;

namespace SfpPlatform.Api.Webhooks;

/// <summary>
/// The webhook receivers, one file per provider (<see cref="GitHubWebhookEndpoint"/>, <see cref="AzureDevOpsWebhookEndpoint"/>),
/// and what both need: the raw body under the size cap, the content-type check and the problems they share. Each
/// authenticates the delivery against a webhook integration, stores it with the run it causes in one transaction,
/// and only then answers 200; it never waits for the workflow. Refusals are RFC 7807 problems and store nothing.
/// </summary>
public static class WebhookReceiversApi
{
    /// <summary>GitHub caps payloads at 25 MB; the edge's limit is the same.</summary>
    public static readonly long MaxBodyBytes = PlatformTopology.Default.MaxRequestBodyBytes;

    public static IEndpointRouteBuilder MapWebhookReceivers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/webhooks").WithTags("Webhooks").AllowAnonymous().RequireRateLimiting(WebhookConcurrencyLimit.Policy);
        group.MapGitHubWebhook(GitHubWebhookEndpoint.Path).AddEndpointFilter<Recovery.DeliveryOutageFilter>();
        group.MapAzureDevOpsWebhook(AzureDevOpsWebhookEndpoint.Path);
        return app;
    }

    /// <summary>
    /// The raw body (the signature covers these exact bytes), read straight into one array of the declared length;
    /// a chunked body is gathered and copied once. Null when it exceeds <see cref="MaxBodyBytes"/>.
    /// </summary>
    internal static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            if (length > MaxBodyBytes)
            {
                return null;
            }

            var body = GC.AllocateUninitializedArray<byte>((int)length);
            await request.Body.ReadExactlyAsync(body, cancellationToken);
            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>415 unless the delivery is <c>application/json</c> (or says nothing).</summary>
    internal static ProblemHttpResult? UnsupportedContentType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (contentType is null || (MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
            $"Deliveries must be sent as application/json (got '{contentType}'); on GitHub set the webhook's content type to application/json.");
    }

    internal static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Deliveries are limited to {MaxBodyBytes / (1024 * 1024)} MiB (GitHub's own cap is 25 MB).");

    /// <summary>The 400 for an authenticated body the platform cannot read; null when it is a JSON object in UTF-8.</summary>
    internal static ProblemHttpResult? Unreadable(WebhookPayload payload) => payload.Error switch
    {
        WebhookPayloadError.None or WebhookPayloadError.TooDeep => null,
        WebhookPayloadError.NotUtf8 => Problem(StatusCodes.Status400BadRequest, "Body is not UTF-8", "The delivery body is not valid UTF-8."),
        WebhookPayloadError.NotAnObject => Problem(StatusCodes.Status400BadRequest, "Body is not a JSON object", "The delivery body must be a JSON object."),
        _ => Problem(StatusCodes.Status400BadRequest, "Malformed JSON",
            $"The delivery body is not valid JSON (line {payload.Line + 1}, byte {payload.BytePosition + 1})."),
    };

    /// <summary>The 400 for a required provider header that is missing or malformed, naming it.</summary>
    internal static ProblemHttpResult HeaderProblem(string provider, DeliveryHeaderError error) => error.Missing
        ? Problem(StatusCodes.Status400BadRequest, $"Missing {provider} delivery headers", $"A {provider} delivery carries {error.Header}; this request does not.")
        : Problem(StatusCodes.Status400BadRequest, $"Malformed {provider} delivery headers", $"{error.Header} must be {error.Requirement}.");

    /// <summary>
    /// The answer to an internal failure of the intake: 503 with <c>Retry-After</c> (never 500, which reads as "this
    /// delivery is bad"); nothing was stored, so a redelivery is stored once.
    /// </summary>
    internal static ProblemHttpResult InternalFailure(HttpContext context)
    {
        context.Response.Headers.RetryAfter = DatabaseUnavailableProblem.RetryAfter;
        return Problem(StatusCodes.Status503ServiceUnavailable, "Delivery not stored",
            "The platform could not store this delivery just now; nothing was stored. Send it again shortly.");
    }

    internal static Ok<WebhookAcknowledgement> Acknowledge(IntakeResult result) =>
        TypedResults.Ok(new WebhookAcknowledgement(result.Id, result.Status, result.Reason, result.Workflow, result.RunId));

    internal static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
