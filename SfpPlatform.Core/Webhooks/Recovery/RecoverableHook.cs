namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// A GitHub hook whose deliveries the recovery can list and redeliver: a GitHub App's hook (<c>app/hook</c>, with the
/// app JWT) or a repository or organisation hook (<c>repos/{o}/{r}/hooks/{id}</c>, <c>orgs/{org}/hooks/{id}</c>,
/// with an installation token or PAT).
/// </summary>
/// <param name="Key">Names the hook across passes and processes: its kind, API root and path (no secret).</param>
/// <param name="ApiBase">The REST API root (api.github.com or a GHES <c>/api/v3/</c>).</param>
/// <param name="Path">The hook's path under <paramref name="ApiBase"/>, without a trailing slash.</param>
/// <param name="Token">Returns the bearer token to call it with (the app JWT, an installation token or a PAT).</param>
public sealed record RecoverableHook(string Key, Uri ApiBase, string Path, Func<CancellationToken, Task<string>> Token)
{
    public const string AppHookPath = "app/hook";

    public static string KeyOf(Uri apiBase, string path, string? issuer = null) =>
        $"{apiBase.AbsoluteUri.TrimEnd('/')}/{path}" + (issuer is null ? "" : $"#{issuer}");
}
