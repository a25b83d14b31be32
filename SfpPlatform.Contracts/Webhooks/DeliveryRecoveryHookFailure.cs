namespace SfpPlatform.Contracts.Webhooks;

/// <summary>A hook one delivery-recovery pass could not go through, and why (the other hooks went on).</summary>
/// <param name="Hook">The hook: its API root and path (<c>…/repos/{owner}/{repo}/hooks/{id}</c>, <c>…/orgs/{org}/hooks/{id}</c>, <c>…/app/hook</c>).</param>
/// <param name="StatusCode">GitHub's answer when it gave one (401, 403, 404 ...), else null (no token, unreachable).</param>
/// <param name="Reason">What went wrong and what would mend it; never a secret.</param>
public sealed record DeliveryRecoveryHookFailure(string Hook, int? StatusCode, string Reason);
