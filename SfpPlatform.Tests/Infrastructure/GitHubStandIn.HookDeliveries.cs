using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The App's hook deliveries as GitHub documents them: the stand-in delivers events itself (signed, with GitHub's
/// headers) and records every attempt; <c>GET /app/hook/deliveries</c> lists them newest first in cursor pages
/// (<c>per_page</c> at most 100, <c>Link: rel="next"</c>) and <c>POST /app/hook/deliveries/{id}/attempts</c> really
/// redelivers — the original bytes and <c>X-GitHub-Delivery</c>, signed again — answering 202 first, as GitHub does.
/// Both require the app JWT (401 otherwise); a delivery older than 3 days is refused with 422.
/// </summary>
public sealed partial class GitHubStandIn
{
    public static readonly TimeSpan RedeliveryWindow = TimeSpan.FromDays(3);

    private readonly HttpClient _sender = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<long, GitHubStandInDelivery> _deliveries = new();
    private readonly ConcurrentQueue<Task> _redeliveries = new();
    private long _deliveryIds = 70_000_000;

    /// <summary>The App's webhook; deliveries go nowhere until it is set.</summary>
    public GitHubStandInHook? AppHook { get; set; }

    /// <summary>Every attempt made, by id.</summary>
    public IReadOnlyCollection<GitHubStandInDelivery> HookDeliveries => [.. _deliveries.Values.OrderBy(d => d.Id)];

    /// <summary>The delivery ids redelivery was asked for, in order (accepted or not).</summary>
    public ConcurrentQueue<long> RedeliveryRequests { get; } = new();

    public int RefusedRedeliveries;

    /// <summary>
    /// Delivers <paramref name="body"/> as event <paramref name="eventName"/> to <see cref="AppHook"/> under a new guid
    /// and records the attempt; <paramref name="deliveredAt"/> back-dates it (a delivery GitHub made days ago).
    /// </summary>
    public async Task<GitHubStandInDelivery> DeliverAsync(string eventName, byte[] body, DateTimeOffset? deliveredAt = null, CancellationToken cancellationToken = default) =>
        await SendAsync(Guid.NewGuid().ToString(), eventName, body, redelivery: false, deliveredAt, cancellationToken);

    /// <summary>Waits for every redelivery accepted so far to have been sent.</summary>
    public Task RedeliveriesSentAsync() => Task.WhenAll(_redeliveries);

    private async Task<GitHubStandInDelivery> SendAsync(
        string guid, string eventName, byte[] body, bool redelivery, DateTimeOffset? deliveredAt, CancellationToken cancellationToken)
    {
        var hook = AppHook ?? throw new InvalidOperationException("Set AppHook before delivering.");
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

        var delivery = new GitHubStandInDelivery(Interlocked.Increment(ref _deliveryIds), guid, at, redelivery, status, eventName, action, body);
        _deliveries[delivery.Id] = delivery;
        return delivery;
    }

    private static void MapHookDeliveries(WebApplication app, GitHubStandIn standIn)
    {
        app.MapGet("/api/v3/app/hook/deliveries", async (HttpRequest request, HttpResponse response, int? per_page, string? cursor) =>
        {
            if (!await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString()))
            {
                Interlocked.Increment(ref standIn.RefusedJwts);
                return Results.Json(new { message = "A JSON web token could not be decoded", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
            }

            var size = Math.Clamp(per_page ?? 30, 1, 100);
            long? from = null;
            if (cursor is not null)
            {
                if (!cursor.StartsWith("v1_", StringComparison.Ordinal) || !long.TryParse(cursor[3..], CultureInfo.InvariantCulture, out var id))
                {
                    return Results.Json(new { message = "Invalid cursor", documentation_url = "https://docs.github.com/rest" }, statusCode: 400);
                }

                from = id;
            }

            var newestFirst = standIn._deliveries.Values.Where(d => from is null || d.Id <= from).OrderByDescending(d => d.Id).Take(size + 1).ToList();
            if (newestFirst.Count > size)
            {
                var next = $"{standIn.BaseUrl}api/v3/app/hook/deliveries?per_page={size}&cursor=v1_{newestFirst[size].Id}";
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
        });

        app.MapPost("/api/v3/app/hook/deliveries/{id:long}/attempts", async (long id, HttpRequest request) =>
        {
            if (!await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString()))
            {
                Interlocked.Increment(ref standIn.RefusedJwts);
                return Results.Json(new { message = "A JSON web token could not be decoded", documentation_url = "https://docs.github.com/rest" }, statusCode: 401);
            }

            standIn.RedeliveryRequests.Enqueue(id);
            if (!standIn._deliveries.TryGetValue(id, out var delivery))
            {
                return Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest/apps/webhooks#redeliver-a-delivery-for-an-app-webhook" }, statusCode: 404);
            }

            if (delivery.DeliveredAt < standIn.Time.GetUtcNow() - RedeliveryWindow)
            {
                Interlocked.Increment(ref standIn.RefusedRedeliveries);
                return Results.Json(new
                {
                    message = "Validation Failed",
                    errors = new[] { new { resource = "HookDelivery", code = "custom", message = "Deliveries older than 3 days cannot be redelivered." } },
                    documentation_url = "https://docs.github.com/rest/apps/webhooks#redeliver-a-delivery-for-an-app-webhook",
                }, statusCode: 422);
            }

            // GitHub accepts, then delivers on its own time: the attempt shows in the list once made.
            standIn._redeliveries.Enqueue(Task.Run(() => standIn.SendAsync(delivery.Guid, delivery.Event, delivery.Body, redelivery: true, deliveredAt: null, CancellationToken.None)));
            return Results.Json(new { }, statusCode: 202);
        });
    }
}
