namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A webhook as the stand-in delivers it: where (the platform's receiver through the edge), signed with which secret,
/// and the hook headers GitHub adds (<c>X-GitHub-Hook-ID</c>, <c>X-GitHub-Hook-Installation-Target-Type/-ID</c>).
/// The GitHub App's hook (<see cref="GitHubStandIn.AppHook"/>, target type <c>integration</c>) or a repository or
/// organisation hook (<see cref="GitHubStandIn.Hooks"/>), whose deliveries only a token with access to it may list.
/// </summary>
public sealed record GitHubStandInHook(Uri Url, string Secret, long TargetId, long HookId, string TargetType = "integration")
{
    /// <summary>A repository hook's repository ("owner/repo").</summary>
    public string? Repository { get; init; }

    /// <summary>An organisation hook's organisation (login).</summary>
    public string? Organization { get; init; }

    /// <summary>
    /// Personal access tokens of people who may read and redeliver this hook's deliveries (a repository admin, an
    /// organisation owner); GitHub answers 404 to any other PAT.
    /// </summary>
    public IReadOnlySet<string> Admins { get; init; } = new HashSet<string>();

    /// <summary>Whether an App installed on the repository or organisation has the Webhooks permission (403 otherwise).</summary>
    public bool AppHasWebhooksPermission { get; init; } = true;
}
