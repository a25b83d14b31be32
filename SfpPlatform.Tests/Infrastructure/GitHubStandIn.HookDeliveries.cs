using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Hook deliveries as GitHub documents them: the stand-in delivers events itself (signed, with GitHub's headers) and
/// records every attempt; the list endpoints answer newest first in cursor pages (<c>per_page</c> at most 100,
/// <c>Link: rel="next"</c>) and the <c>attempts</c> endpoints really redeliver — the original bytes and
/// <c>X-GitHub-Delivery</c>, signed again with the hook's secret, to the hook's URL — answering 202 first, as GitHub
/// does. A delivery older than 3 days is refused with 422. Who may call them, as GitHub rules:
/// <list type="bullet">
/// <item><c>/app/hook/deliveries</c>: the App's JWT only (401 otherwise).</item>
/// <item><c>/repos/{owner}/{repo}/hooks/{id}/deliveries</c> and <c>/orgs/{org}/hooks/{id}/deliveries</c>: a token —
/// an installation token or a PAT, never the App's JWT (401 "Bad credentials" for anything else). A PAT of someone
/// who is no repository admin or organisation owner gets 404, as does an installation elsewhere; an installation on
/// the repository or organisation without the Webhooks permission gets 403.</item>
/// </list>
/// </summary>
public sealed partial class GitHubStandIn
{
    public static readonly TimeSpan RedeliveryWindow = TimeSpan.FromDays(3);

    private readonly HttpClient _sender = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<long, GitHubStandInDelivery> _deliveries = new();
    private readonly ConcurrentQueue<Task> _redeliveries = new();
    private readonly ConcurrentDictionary<string, long> _tokenInstallations = new();
    private long _deliveryIds = 70_000_000;

    /// <summary>The App's webhook; deliveries go nowhere until it is set.</summary>
    public GitHubStandInHook? AppHook { get; set; }

    /// <summary>Repository and organisation hooks, by hook id (replace one to change its URL, as its owner would).</summary>
    public ConcurrentDictionary<long, GitHubStandInHook> Hooks { get; } = new();

    /// <summary>Every attempt made, by id.</summary>
    public IReadOnlyCollection<GitHubStandInDelivery> HookDeliveries => [.. _deliveries.Values.OrderBy(d => d.Id)];

    /// <summary>The delivery ids redelivery was asked for, in order (accepted or not).</summary>
    public ConcurrentQueue<long> RedeliveryRequests { get; } = new();

    public int RefusedRedeliveries;

    /// <summary>Calls to a repository or organisation hook's deliveries refused for the token (401, 403, 404).</summary>
    public int RefusedHookCalls;

    /// <summary>
    /// Delivers <paramref name="body"/> as event <paramref name="eventName"/> to <see cref="AppHook"/> under a new guid
    /// and records the attempt; <paramref name="deliveredAt"/> back-dates it (a delivery GitHub made days ago).
    /// </summary>
    public async Task<GitHubStandInDelivery> DeliverAsync(string eventName, byte[] body, DateTimeOffset? deliveredAt = null, CancellationToken cancellationToken = default) =>
        await SendAsync(AppHook ?? throw new InvalidOperationException("Set AppHook before delivering."),
            Guid.NewGuid().ToString(), eventName, body, redelivery: false, deliveredAt, cancellationToken);

    /// <summary>Delivers <paramref name="body"/> through the repository or organisation hook <paramref name="hookId"/> (see <see cref="Hooks"/>).</summary>
    public async Task<GitHubStandInDelivery> DeliverAsync(long hookId, string eventName, byte[] body, CancellationToken cancellationToken = default) =>
        await SendAsync(Hooks[hookId], Guid.NewGuid().ToString(), eventName, body, redelivery: false, deliveredAt: null, cancellationToken);

    /// <summary>Waits for every redelivery accepted so far to have been sent.</summary>
    public Task RedeliveriesSentAsync() => Task.WhenAll(_redeliveries);

    private async Task<GitHubStandInDelivery> SendAsync(
        GitHubStandInHook hook, string guid, string eventName, byte[] body, bool redelivery, DateTimeOffset? deliveredAt, CancellationToken cancellationToken)
    {
        var at = deliveredAt ?? Time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "GitHub-Hookshot/5f3c1a2");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", guid);
        request.Headers.Add("X-GitHub-Hook-ID", hook.HookId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", hook.TargetType);
        request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", hook.TargetId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(hook.Secret), body)));
        int status;
        try
        {
            using var response = await _sender.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            status = 0;
        }

        string? action = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            action = json.RootElement.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        }
        catch (JsonException)
        {
        }

        var delivery = new GitHubStandInDelivery(
            Interlocked.Increment(ref _deliveryIds), guid, at, redelivery, status, eventName, action, body, hook.HookId, hook.TargetType);
        _deliveries[delivery.Id] = delivery;
        return delivery;
    }

    private static void MapHookDeliveries(WebApplication app, GitHubStandIn standIn)
    {
        app.MapGet("/api/v3/app/hook/deliveries", async (HttpRequest request, HttpResponse response, int? per_page, string? cursor) =>
            await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString())
                ? standIn.ListPage(response, "app/hook", d => d.TargetType == "integration", per_page, cursor)
                : standIn.RefuseJwt());

        app.MapPost("/api/v3/app/hook/deliveries/{id:long}/attempts", async (long id, HttpRequest request) =>
            await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString())
                ? standIn.Redeliver(id, d => d.TargetType == "integration", "apps/webhooks#redeliver-a-delivery-for-an-app-webhook")
                : standIn.RefuseJwt());

        app.MapGet("/api/v3/repos/{owner}/{repo}/hooks/{hookId:long}/deliveries",
            (string owner, string repo, long hookId, HttpRequest request, HttpResponse response, int? per_page, string? cursor) =>
                standIn.RefuseHookCall(request, hookId, repository: $"{owner}/{repo}", organization: null)
                ?? standIn.ListPage(response, $"repos/{owner}/{repo}/hooks/{hookId}", d => d.HookId == hookId && d.TargetType == "repository", per_page, cursor));

        app.MapPost("/api/v3/repos/{owner}/{repo}/hooks/{hookId:long}/deliveries/{id:long}/attempts",
            (string owner, string repo, long hookId, long id, HttpRequest request) =>
                standIn.RefuseHookCall(request, hookId, repository: $"{owner}/{repo}", organization: null)
                ?? standIn.Redeliver(id, d => d.HookId == hookId && d.TargetType == "repository", "repos/webhooks#redeliver-a-delivery-for-a-repository-webhook"));

        app.MapGet("/api/v3/orgs/{org}/hooks/{hookId:long}/deliveries",
            (string org, long hookId, HttpRequest request, HttpResponse response, int? per_page, string? cursor) =>
                standIn.RefuseHookCall(request, hookId, repository: null, organization: org)
                ?? standIn.ListPage(response, $"orgs/{org}/hooks/{hookId}", d => d.HookId == hookId && d.TargetType == "organization", per_page, cursor));

        app.MapPost("/api/v3/orgs/{org}/hooks/{hookId:long}/deliveries/{id:long}/attempts",
            (string org, long hookId, long id, HttpRequest request) =>
                standIn.RefuseHookCall(request, hookId, repository: null, organization: org)
                ?? standIn.Redeliver(id, d => d.HookId == hookId && d.TargetType == "organization", "orgs/webhooks#redeliver-a-delivery-for-an-organization-webhook"));
    }

    private IResult RefuseJwt()
    {
        Interlocked.Increment(ref RefusedJwts);
        return Results.Json(new { message = "A JSON web token could not be decoded", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
    }

    /// <summary>
    /// GitHub's rules for a repository or organisation hook's deliveries; null when the caller may go on. The hook must
    /// exist where the path says (names compared case-insensitively, as GitHub does).
    /// </summary>
    private IResult? RefuseHookCall(HttpRequest request, long hookId, string? repository, string? organization)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!IsKnownToken(authorization, out var token))
        {
            // The App's JWT is no token here: GitHub answers as to any unknown credential.
            Interlocked.Increment(ref RefusedHookCalls);
            return Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
        }

        var notFound = Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: 404);
        if (!Hooks.TryGetValue(hookId, out var hook)
            || (repository is not null && !string.Equals(hook.Repository, repository, StringComparison.OrdinalIgnoreCase))
            || (organization is not null && !string.Equals(hook.Organization, organization, StringComparison.OrdinalIgnoreCase)))
        {
            Interlocked.Increment(ref RefusedHookCalls);
            return notFound;
        }

        if (Pats.Contains(token))
        {
            if (hook.Admins.Contains(token))
            {
                return null;
            }

            Interlocked.Increment(ref RefusedHookCalls);
            return notFound;
        }

        var installed = _tokenInstallations.TryGetValue(token, out var installation) && Installations.Any(i => i.Value == installation && (repository is not null
            ? string.Equals(i.Key, repository, StringComparison.OrdinalIgnoreCase)
            : i.Key.StartsWith(organization!.ToLowerInvariant() + "/", StringComparison.Ordinal)));
        if (installed && hook.AppHasWebhooksPermission)
        {
            return null;
        }

        Interlocked.Increment(ref RefusedHookCalls);
        return installed
            ? Results.Json(new { message = "Resource not accessible by integration", documentation_url = "https://docs.github.com/rest" }, statusCode: 403)
            : notFound;
    }

    /// <summary>One page of the deliveries <paramref name="belongs"/> selects, newest first, with GitHub's cursor in <c>Link</c>.</summary>
    private IResult ListPage(HttpResponse response, string hookPath, Func<GitHubStandInDelivery, bool> belongs, int? perPage, string? cursor)
    {
        var size = Math.Clamp(perPage ?? 30, 1, 100);
        long? from = null;
        if (cursor is not null)
        {
            if (!cursor.StartsWith("v1_", StringComparison.Ordinal) || !long.TryParse(cursor[3..], CultureInfo.InvariantCulture, out var id))
            {
                return Results.Json(new { message = "Invalid cursor", documentation_url = "https://docs.github.com/rest" }, statusCode: 400);
            }

            from = id;
        }

        var newestFirst = _deliveries.Values.Where(d => belongs(d) && (from is null || d.Id <= from)).OrderByDescending(d => d.Id).Take(size + 1).ToList();
        if (newestFirst.Count > size)
        {
            var next = $"{BaseUrl}api/v3/{hookPath}/deliveries?per_page={size}&cursor=v1_{newestFirst[size].Id}";
            response.Headers["Link"] = $"<{next}>; rel=\"next\"";
            newestFirst.RemoveAt(size);
        }

        return Results.Json(newestFirst.Select(d => new
        {
            id = d.Id,
            guid = d.Guid,
            delivered_at = d.DeliveredAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            redelivery = d.Redelivery,
            duration = 0.05,
            status = d.StatusCode switch { 0 => "Timed out", >= 200 and < 300 => "OK", _ => $"Invalid HTTP Response: {d.StatusCode}" },
            status_code = d.StatusCode,
            @event = d.Event,
            action = d.Action,
            installation_id = (long?)null,
            repository_id = (long?)null,
            throttled_at = (string?)null,
        }));
    }

    /// <summary>Accepts (202) and then really sends delivery <paramref name="id"/> again to its hook's current URL.</summary>
    private IResult Redeliver(long id, Func<GitHubStandInDelivery, bool> belongs, string documentation)
    {
        RedeliveryRequests.Enqueue(id);
        if (!_deliveries.TryGetValue(id, out var delivery) || !belongs(delivery))
        {
            return Results.Json(new { message = "Not Found", documentation_url = $"https://docs.github.com/rest/{documentation}" }, statusCode: 404);
        }

        if (delivery.DeliveredAt < Time.GetUtcNow() - RedeliveryWindow)
        {
            Interlocked.Increment(ref RefusedRedeliveries);
            return Results.Json(new
            {
                message = "Validation Failed",
                errors = new[] { new { resource = "HookDelivery", code = "custom", message = "Deliveries older than 3 days cannot be redelivered." } },
                documentation_url = $"https://docs.github.com/rest/{documentation}",
            }, statusCode: 422);
        }

        var hook = delivery.TargetType == "integration" ? AppHook : Hooks.GetValueOrDefault(delivery.HookId);
        if (hook is null)
        {
            return Results.Json(new { message = "Not Found", documentation_url = $"https://docs.github.com/rest/{documentation}" }, statusCode: 404);
        }

        // GitHub accepts, then delivers on its own time: the attempt shows in the list once made.
        _redeliveries.Enqueue(Task.Run(() => SendAsync(hook, delivery.Guid, delivery.Event, delivery.Body, redelivery: true, deliveredAt: null, CancellationToken.None)));
        return Results.Json(new { }, statusCode: 202);
    }
}
