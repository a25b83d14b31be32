using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Authentication;

namespace SfpPlatform.Api.Webhooks;

/// <summary>What a receiver needs per delivery (bound with <c>[AsParameters]</c>): one call to authenticate, one to store.</summary>
public sealed class WebhookReceiverServices(WebhookAuthenticator authenticator, WebhookIntake intake, ILogger<WebhookReceiverServices> logger)
{
    public WebhookAuthenticator Authenticator { get; } = authenticator;

    public WebhookIntake Intake { get; } = intake;

    public ILogger<WebhookReceiverServices> Logger { get; } = logger;
}
