namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>How a delivery's authentication came out; every value but <see cref="Valid"/> is a 401.</summary>
public enum WebhookAuthenticationResult
{
    /// <summary>The delivery is authentic; the matched webhook integration comes with it.</summary>
    Valid,

    /// <summary>GitHub: no <c>X-Hub-Signature-256</c>.</summary>
    MissingSignature,

    /// <summary>GitHub: <c>X-Hub-Signature-256</c> is not <c>sha256=</c> and 64 hex digits.</summary>
    MalformedSignature,

    /// <summary>GitHub: neither the headers nor the payload name a hook target, so no secret applies.</summary>
    NoTarget,

    /// <summary>GitHub: no <c>github-webhook</c> integration is registered for the hook target.</summary>
    UnknownTarget,

    /// <summary>GitHub: the signature matches the body under none of the target's secrets.</summary>
    InvalidSignature,

    /// <summary>Azure DevOps: no <c>Authorization</c> header, or one of another scheme than Basic.</summary>
    MissingBasicAuth,

    /// <summary>Azure DevOps: Basic credentials that are not base64 of <c>user:password</c> with a user name.</summary>
    MalformedBasicAuth,

    /// <summary>Azure DevOps: the user name and password match no <c>azure-devops-webhook</c> integration.</summary>
    InvalidCredentials,
}
