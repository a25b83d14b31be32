using System.Text.Json.Serialization;

namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// One attempt in GitHub's list of a hook's deliveries (<c>GET /app/hook/deliveries</c>, and the same shape for
/// repository and organisation hooks). A redelivery is a new item with its own <see cref="Id"/> and the same <see cref="Guid"/>.
/// </summary>
public sealed record GitHubHookDelivery(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("guid")] string Guid,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset DeliveredAt,
    [property: JsonPropertyName("redelivery")] bool Redelivery,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("status_code")] int StatusCode,
    [property: JsonPropertyName("event")] string? Event,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("installation_id")] long? InstallationId,
    [property: JsonPropertyName("repository_id")] long? RepositoryId)
{
    /// <summary>GitHub got a 2xx: the receiver took it (the platform answers 2xx only once a delivery is stored).</summary>
    [JsonIgnore]
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>
    /// A failure a later attempt can mend: no answer at all (GitHub records 0 for a timeout or a refused connection),
    /// 408, 429 or any 5xx (the platform's 503 while its database or Api is down, the edge's maintenance page). A 4xx is
    /// the platform refusing the delivery itself (signature, unknown hook, unreadable body): asking again changes nothing.
    /// </summary>
    [JsonIgnore]
    public bool FailedRetryably => StatusCode is 0 or 408 or 429 or >= 500;
}
