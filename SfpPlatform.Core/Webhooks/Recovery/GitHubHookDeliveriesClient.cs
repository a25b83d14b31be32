using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// GitHub's hook-delivery endpoints, which Octokit does not cover: list a hook's deliveries (newest first, cursor
/// pages through <c>Link</c> headers) and ask for one again. A typed client on the provider layer's <c>github</c>
/// HttpClient (connect-time URL allowlist, rate limits waited out once, resilience that retries the GET and never the
/// POST: asking twice would deliver twice).
/// </summary>
public sealed class GitHubHookDeliveriesClient(HttpClient http)
{
    public const int PageSize = 100;

    /// <summary>
    /// One page of <paramref name="hook"/>'s deliveries: the first when <paramref name="next"/> is null, else the page
    /// GitHub's <c>Link: rel="next"</c> named (followed only on the hook's own API host: the token goes nowhere else).
    /// </summary>
    public async Task<(IReadOnlyList<GitHubHookDelivery> Items, Uri? Next)> ListAsync(RecoverableHook hook, Uri? next, CancellationToken cancellationToken)
    {
        var url = next ?? new Uri(hook.ApiBase, $"{hook.Path}/deliveries?per_page={PageSize}");
        if (!SameOrigin(url, hook.ApiBase))
        {
            throw new HttpRequestException($"GitHub's next page {url.GetLeftPart(UriPartial.Path)} is not on {hook.ApiBase.Authority}; not followed.");
        }

        using var request = await RequestAsync(HttpMethod.Get, url, hook, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "list the deliveries of", hook, cancellationToken);
        var items = await response.Content.ReadFromJsonAsync<List<GitHubHookDelivery>>(cancellationToken) ?? [];
        var link = response.Headers.TryGetValues("Link", out var values) ? string.Join(",", values) : null;
        return (items, LinkHeader.Next(link, url));
    }

    /// <summary>Asks GitHub to send delivery <paramref name="deliveryId"/> again (202); never retried.</summary>
    public async Task<RedeliveryAnswer> RedeliverAsync(RecoverableHook hook, long deliveryId, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Post, new Uri(hook.ApiBase, $"{hook.Path}/deliveries/{deliveryId}/attempts"), hook, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.Created => RedeliveryAnswer.Accepted,
            // GitHub's answer to a delivery outside its 3-day window (or one it will not redeliver otherwise).
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => RedeliveryAnswer.Refused,
            _ => RedeliveryAnswer.Failed,
        };
    }

    private static async Task<HttpRequestMessage> RequestAsync(HttpMethod method, Uri url, RecoverableHook hook, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await hook.Token(cancellationToken));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("SfpPlatform", null));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        return request;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, RecoverableHook hook, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"GitHub answered {(int)response.StatusCode} when asked to {what} {hook.Path}: {(body.Length > 200 ? body[..200] : body)}{Mend(response.StatusCode, hook)}",
            null, response.StatusCode);
    }

    /// <summary>
    /// What GitHub's refusal means for this kind of hook. GitHub answers 404, not 403, to a token that cannot see a hook
    /// (a repository hook needs admin access to the repository, an organisation hook an organisation owner), and 403
    /// to an App installation without the Webhooks permission.
    /// </summary>
    private static string Mend(HttpStatusCode status, RecoverableHook hook) => (status, hook.Path) switch
    {
        (HttpStatusCode.Unauthorized, RecoverableHook.AppHookPath) => " — the App's JWT was refused: check the App id and private key.",
        (HttpStatusCode.Unauthorized, _) => " — the token was refused (expired or revoked).",
        (HttpStatusCode.NotFound or HttpStatusCode.Forbidden, var path) when path.StartsWith("repos/", StringComparison.Ordinal) =>
            " — the project's token cannot read this repository hook's deliveries: it needs admin access to the repository " +
            "(a classic PAT with the repo or admin:repo_hook scope, or a GitHub App or fine-grained token with the Webhooks permission, write to redeliver).",
        (HttpStatusCode.NotFound or HttpStatusCode.Forbidden, var path) when path.StartsWith("orgs/", StringComparison.Ordinal) =>
            " — the project's token cannot read this organisation hook's deliveries: it needs an organisation owner " +
            "(a classic PAT with the admin:org_hook scope, or a GitHub App or fine-grained token with the organisation's Webhooks permission).",
        _ => "",
    };

    private static bool SameOrigin(Uri url, Uri apiBase) =>
        url.Scheme == apiBase.Scheme && string.Equals(url.Authority, apiBase.Authority, StringComparison.OrdinalIgnoreCase);
}
