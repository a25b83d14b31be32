using System.Diagnostics.CodeAnalysis;

namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>The outcome of authenticating a delivery, with the webhook integration it matched when valid.</summary>
public readonly record struct WebhookAuthentication(WebhookAuthenticationResult Result, WebhookSource? Source)
{
    [MemberNotNullWhen(true, nameof(Source))]
    public bool IsValid => Result == WebhookAuthenticationResult.Valid && Source is not null;

    public static WebhookAuthentication Refused(WebhookAuthenticationResult result) => new(result, null);
}
