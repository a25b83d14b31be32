using System.Net;
using Octokit;

namespace SfpPlatform.Core.Providers;

/// <summary>
/// Provider failures no retry can mend: no credential registered, a host the URL allowlist refuses, or the provider
/// refusing who we are (401), what
/// we may do (403, not a rate limit) or whether the thing exists (404). A step that meets one fails at once with the
/// provider's message, instead of trying again for a minute and failing with the same one.
/// </summary>
public static class ProviderErrors
{
    public static bool IsPermanent(Exception exception) => exception switch
    {
        ProviderCredentialMissingException => true,
        _ when OutboundConnectionRefusedException.In(exception) => true,
        // Octokit's rate-limit exceptions are ForbiddenExceptions too; those pass, and a retry waits them out.
        RateLimitExceededException or SecondaryRateLimitExceededException or AbuseException => false,
        AuthorizationException or ForbiddenException or NotFoundException => true,
        HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.NonAuthoritativeInformation } => true,
        _ => false,
    };
}
