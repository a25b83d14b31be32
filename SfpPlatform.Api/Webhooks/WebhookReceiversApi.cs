using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using SfpPlatform.Core.Data;
using SfpPlatform.Topology;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Api.Webhooks;

/// <summary>
/// The two webhook receivers. Each authenticates the delivery against a webhook integration, stores it with the
/// run it causes in one transaction, and only then answers 200; it never waits for the workflow. Refusals are
/// RFC 7807 problems and store nothing. The database being unavailable is a 503 (the provider retries), never a 200.
/// </summary>
public static partial class WebhookReceiversApi
{
    public const string GitHubPath = "/sfp/api/webhooks/github";
    public const string AzureDevOpsPath = "/sfp/api/webhooks/azure-devops";

    /// <summary>GitHub caps payloads at 25 MB; the edge's limit is the same.</summary>
    public static readonly long MaxBodyBytes = PlatformTopology.Default.MaxRequestBodyBytes;

    /// <summary>The provider headers kept with a delivery (never <c>Authorization</c>).</summary>
    private static readonly string[] GitHubHeaders =
    [
        "X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID", "X-GitHub-Hook-Installation-Target-Type",
        "X-GitHub-Hook-Installation-Target-ID", "X-Hub-Signature-256", "User-Agent", "Content-Type",
    ];

    private static readonly string[] AzureDevOpsHeaders = ["X-VSS-ActivityId", "X-VSS-SubscriptionId", "User-Agent", "Content-Type"];

    public static IEndpointRouteBuilder MapWebhookReceivers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/webhooks").WithTags("Webhooks").AllowAnonymous().RequireRateLimiting(WebhookConcurrencyLimit.Policy);
        group.MapPost("/github", ReceiveGitHubAsync).WithName("ReceiveGitHubWebhook")
            .WithSummary("GitHub webhook receiver (signed with the webhook secret of a github-webhook integration).")
            .Produces<WebhookAcknowledgement>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415).ProducesProblem(503);
        group.MapPost("/azure-devops", ReceiveAzureDevOpsAsync).WithName("ReceiveAzureDevOpsWebhook")
            .WithSummary("Azure DevOps service-hook receiver (basic auth of an azure-devops-webhook integration).")
            .Produces<WebhookAcknowledgement>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(413).ProducesProblem(415).ProducesProblem(503);
        return app;
    }

    internal static async Task<IResult> ReceiveGitHubAsync(HttpRequest request, [AsParameters] ReceiverServices services, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        var eventName = headers["X-GitHub-Event"].ToString();
        var deliveryId = headers["X-GitHub-Delivery"].ToString();
        if (eventName.Length == 0 || deliveryId.Length == 0)
        {
            return Problem(400, "Missing GitHub delivery headers",
                $"A GitHub delivery carries {(eventName.Length == 0 ? "X-GitHub-Event" : "X-GitHub-Delivery")}; this request does not.");
        }

        if (!IsName(eventName, 100) || !IsName(deliveryId, 200))
        {
            return Problem(400, "Malformed GitHub delivery headers",
                "X-GitHub-Event and X-GitHub-Delivery must be 1 to 100 (200) letters, digits, '.', '_' or '-'.");
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

        var signature = ParseSignature(headers["X-Hub-Signature-256"].ToString());
        if (signature is null)
        {
            LogRefused(services.Logger, "github", deliveryId, "missing or malformed signature");
            return Problem(401, "Signature required",
                "X-Hub-Signature-256 must be 'sha256=' followed by the 64 hex digits of the HMAC-SHA256 of the body under the webhook secret.");
        }

        try
        {
            var (targetType, targetId) = Target(headers, body);
            var sources = targetType is null ? [] : await services.Sources.ForGitHubTargetAsync(targetType, targetId!, cancellationToken);
            if (sources.Count == 0)
            {
                LogRefused(services.Logger, "github", deliveryId, $"no github-webhook integration for {targetType ?? "(no target)"} {targetId}");
                return Problem(401, "Unknown webhook",
                    targetType is null
                        ? "The delivery names no hook target (X-GitHub-Hook-Installation-Target-Type/-ID), so no webhook secret applies."
                        : $"No github-webhook integration is registered for target {targetType} {targetId}.");
            }

            WebhookSource? source = null;
            var computed = new byte[HMACSHA256.HashSizeInBytes];
            foreach (var candidate in sources)
            {
                HMACSHA256.HashData(await services.Sources.SecretAsync(candidate, cancellationToken), body, computed);
                if (CryptographicOperations.FixedTimeEquals(computed, signature))
                {
                    source = candidate;
                    break;
                }
            }

            if (source is null)
            {
                LogRefused(services.Logger, "github", deliveryId, "signature does not match");
                return Problem(401, "Invalid signature", "X-Hub-Signature-256 does not match the body under the webhook secret of this hook's integration.");
            }

            if (!GitHubEvents.Known.Contains(eventName))
            {
                return Problem(400, "Unknown event", $"'{eventName}' is not a GitHub webhook event.");
            }

            if (InvalidJson(body) is { } invalid)
            {
                return invalid;
            }

            var normalized = GitHubEvents.Normalize(eventName, body);
            var delivery = new IncomingDelivery(WebhookProviders.GitHub, deliveryId, eventName, Kept(headers, GitHubHeaders), body, source);
            return Acknowledge(await services.Intake.AcceptAsync(delivery, normalized, cancellationToken));
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            return DatabaseUnavailable(services.Logger, "github", deliveryId);
        }
    }

    internal static async Task<IResult> ReceiveAzureDevOpsAsync(HttpRequest request, [AsParameters] ReceiverServices services, CancellationToken cancellationToken)
    {
        if (!TryReadBasicAuth(request.Headers.Authorization.ToString(), out var username, out var password))
        {
            return Unauthorized("Basic authentication required",
                "Azure DevOps service hooks carry no signature: configure basic authentication (user name and password of an azure-devops-webhook integration) on the subscription.");
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

        var activityId = request.Headers["X-VSS-ActivityId"].ToString();
        try
        {
            var sources = await services.Sources.ForAzureDevOpsUserAsync(username, cancellationToken);
            var offered = SHA256.HashData(Encoding.UTF8.GetBytes(password));
            WebhookSource? source = null;
            foreach (var candidate in sources)
            {
                if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(await services.Sources.SecretAsync(candidate, cancellationToken)), offered))
                {
                    source = candidate;
                    break;
                }
            }

            if (source is null)
            {
                LogRefused(services.Logger, "azure-devops", activityId, "basic-auth credentials do not match");
                return Unauthorized("Invalid credentials", "The basic-auth user name and password match no azure-devops-webhook integration.");
            }

            if (InvalidJson(body) is { } invalid)
            {
                return invalid;
            }

            using var document = JsonDocument.Parse(body);
            string deliveryId, eventType;
            try
            {
                (deliveryId, eventType) = AzureDevOpsEvents.ReadEnvelope(document.RootElement);
            }
            catch (JsonException e)
            {
                return Problem(400, "Not a service-hook payload", e.Message);
            }

            if (deliveryId.Length > 200 || !IsName(eventType, 100))
            {
                return Problem(400, "Not a service-hook payload", "The payload 'id' must be at most 200 characters and 'eventType' a name of letters, digits, '.', '_' or '-'.");
            }

            var normalized = AzureDevOpsEvents.Normalize(document.RootElement);
            var delivery = new IncomingDelivery(WebhookProviders.AzureDevOps, deliveryId, eventType, Kept(request.Headers, AzureDevOpsHeaders), body, source);
            return Acknowledge(await services.Intake.AcceptAsync(delivery, normalized, cancellationToken));
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            return DatabaseUnavailable(services.Logger, "azure-devops", activityId);
        }
    }

    private static IResult Acknowledge(IntakeResult result) =>
        TypedResults.Ok(new WebhookAcknowledgement(result.Id, result.Status, result.Reason, result.Workflow, result.RunId));

    /// <summary>Reads the raw body (the signature covers these exact bytes); null when it exceeds the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[64 * 1024];
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

    private static IResult? UnsupportedContentType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (contentType is null || (MediaTypeHeaderValue.TryParse(contentType, out var media) && string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return Problem(415, "Unsupported content type",
            $"Deliveries must be sent as application/json (got '{contentType}'); on GitHub set the webhook's content type to application/json.");
    }

    private static IResult? InvalidJson(byte[] body)
    {
        if (!Utf8.IsValid(body))
        {
            return Problem(400, "Body is not UTF-8", "The delivery body is not valid UTF-8.");
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Problem(400, "Body is not a JSON object", "The delivery body must be a JSON object.");
            }

            reader.Skip();
            if (reader.Read())
            {
                return Problem(400, "Malformed JSON", "The delivery body has data after the JSON object.");
            }

            return null;
        }
        catch (JsonException e)
        {
            return Problem(400, "Malformed JSON", $"The delivery body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    /// <summary>
    /// The hook target from GitHub's headers; for a sender that omits them, the payload's repository, then organisation.
    /// </summary>
    private static (string? Type, string? Id) Target(IHeaderDictionary headers, byte[] body)
    {
        var type = headers["X-GitHub-Hook-Installation-Target-Type"].ToString();
        var id = headers["X-GitHub-Hook-Installation-Target-ID"].ToString();
        if (type.Length > 0 && id.Length > 0)
        {
            return long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? (type, id) : (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var (property, targetType) in new[] { ("repository", "repository"), ("organization", "organization") })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(property, out var owner) && owner.ValueKind == JsonValueKind.Object
                    && owner.TryGetProperty("id", out var ownerId) && ownerId.TryGetInt64(out var number))
                {
                    return (targetType, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        catch (JsonException)
        {
            // Unreadable: no target, so no secret applies and the delivery is refused as unauthenticated.
        }

        return (null, null);
    }

    private static byte[]? ParseSignature(string header)
    {
        const string prefix = "sha256=";
        if (!header.StartsWith(prefix, StringComparison.Ordinal) || header.Length != prefix.Length + 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(header.AsSpan(prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool TryReadBasicAuth(string header, out string username, out string password)
    {
        username = password = "";
        if (!AuthenticationHeaderValue.TryParse(header, out var auth)
            || !auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || auth.Parameter is null)
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            (username, password) = (decoded[..colon], decoded[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> Kept(IHeaderDictionary headers, string[] names)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            if (headers.TryGetValue(name, out var value) && value.Count > 0)
            {
                var text = value.ToString();
                kept[name] = text.Length <= 1000 ? text : text[..1000];
            }
        }

        return kept;
    }

    private static bool IsName(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static IResult TooLarge() =>
        Problem(413, "Payload too large", $"Deliveries are limited to {MaxBodyBytes / (1024 * 1024)} MiB (GitHub's own cap is 25 MB).");

    private static IResult Unauthorized(string title, string detail) =>
        new ProblemWithHeader(new ProblemDetails { Status = 401, Title = title, Detail = detail },
            "WWW-Authenticate", "Basic realm=\"sfp-platform\", charset=\"UTF-8\"");

    private static IResult DatabaseUnavailable(ILogger logger, string provider, string deliveryId)
    {
        LogDatabaseUnavailable(logger, provider, deliveryId);
        DatabaseErrors.DiscardPooledConnections();
        return new ProblemWithHeader(new ProblemDetails
        {
            Status = 503,
            Title = "Delivery not stored",
            Detail = "The platform's database is unavailable, so the delivery was not stored; send it again (GitHub: Redeliver).",
        }, "Retry-After", "10");
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);

    /// <summary>A problem document with one header: the Basic challenge Azure DevOps (and curl) expect, or Retry-After.</summary>
    private sealed class ProblemWithHeader(ProblemDetails problem, string header, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[header] = value;
            return TypedResults.Problem(problem).ExecuteAsync(httpContext);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a {Provider} delivery {DeliveryId}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string provider, string deliveryId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Provider} delivery {DeliveryId} was not stored: the database is unavailable (503)")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string provider, string deliveryId);
}

/// <summary>The answer to an accepted delivery: stored (routed or ignored, and why) or a duplicate of one stored before.</summary>
public sealed record WebhookAcknowledgement(Guid? Id, string Status, string Reason, string? Workflow, Guid? RunId);

public sealed class ReceiverServices(WebhookSources sources, WebhookIntake intake, ILogger<WebhookIntake> logger)
{
    public WebhookSources Sources { get; } = sources;

    public WebhookIntake Intake { get; } = intake;

    public ILogger<WebhookIntake> Logger { get; } = logger;
}
