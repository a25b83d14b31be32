namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The GitHub App's webhook as the stand-in delivers it: where (the platform's receiver through the edge), signed with
/// which secret, and the hook headers GitHub adds (<c>X-GitHub-Hook-ID</c>, <c>X-GitHub-Hook-Installation-Target-Type/-ID</c>).
/// </summary>
public sealed record GitHubStandInHook(Uri Url, string Secret, long TargetId, long HookId, string TargetType = "integration");
