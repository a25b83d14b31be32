using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;

namespace SfpPlatform.Web.Api;

/// <summary>What the Api answered: the value, or its problem (RFC 7807) with field errors.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>A problem the Api reported: its title and detail, and field-level messages keyed by field path.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public string? For(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public string Summary => Detail is { Length: > 0 } ? $"{Title}: {Detail}" : Title;
}

/// <summary>
/// The Api as the web app calls it: server side, over service discovery, with the signed-in user's token (read
/// from the authentication state, so it works in static rendering and in interactive circuits alike). The token
/// never reaches the browser.
/// </summary>
public sealed class PlatformApi(HttpClient http, AuthenticationStateProvider authentication)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public Task<ApiResult<JsonObject>> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<JsonObject>> PostAsync(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiResult<JsonObject>> PutAsync(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<ApiResult<JsonObject>> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>A JSON array answer (the integrations list).</summary>
    public async Task<ApiResult<JsonArray>> GetArrayAsync(string path, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(HttpMethod.Get, path, null);
        using var response = await http.SendAsync(request, cancellationToken);
        return response.IsSuccessStatusCode
            ? new ApiResult<JsonArray>((await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))?.AsArray() ?? [], null)
            : new ApiResult<JsonArray>(null, await ProblemAsync(response, cancellationToken));
    }

    private async Task<ApiResult<JsonObject>> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(method, path, body);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return new ApiResult<JsonObject>(null, new ApiProblem(503, "The Api cannot be reached", e.Message, new Dictionary<string, string[]>()));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                return new ApiResult<JsonObject>(null, await ProblemAsync(response, cancellationToken));
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new ApiResult<JsonObject>(text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [], null);
        }
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirst(WebClaims.AccessToken)?.Value is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return request;
    }

    private static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string title = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "Your session has ended: sign in again",
            HttpStatusCode.Forbidden => "Your role may not do this",
            _ => $"The Api answered {(int)response.StatusCode}",
        };
        string? detail = null;
        try
        {
            if (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) is JsonObject problem)
            {
                title = problem["title"]?.GetValue<string>() ?? title;
                detail = problem["detail"]?.GetValue<string>();
                if (problem["errors"] is JsonObject fields)
                {
                    foreach (var (field, messages) in fields)
                    {
                        errors[field] = messages is JsonArray list ? [.. list.Select(m => m?.GetValue<string>() ?? "")] : [messages?.ToString() ?? ""];
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not a problem document (e.g. an empty 401): the status says enough.
        }

        return new ApiProblem((int)response.StatusCode, title, detail, errors);
    }
}
