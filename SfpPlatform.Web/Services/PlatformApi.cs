using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Polly;
using SfpPlatform.Web.Auth;

namespace SfpPlatform.Web.Services;

/// <summary>
/// The Api as the typed clients call it: server side, over service discovery, with the signed-in user's token (read
/// from the authentication state, so it works in static rendering and in interactive circuits alike), answers read
/// into the contract's records, and every refusal turned into an <see cref="ApiProblem"/>: the Api's ProblemDetails
/// with its field errors, or a 503 when the Api cannot be reached. The token never reaches the browser.
/// </summary>
public sealed class PlatformApi(HttpClient http, AuthenticationStateProvider authentication)
{
    /// <summary>The Api's JSON: web casing, as ASP.NET Core writes and reads it.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    /// <summary>A call answered with no content (204): null when done, else its problem.</summary>
    public async Task<ApiProblem?> DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        (await SendAsync<object>(HttpMethod.Delete, path, null, cancellationToken)).Problem;

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(method, path, body);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new ApiResult<T>(default, await ProblemAsync(response, cancellationToken));
            }

            return response.StatusCode == HttpStatusCode.NoContent
                ? new ApiResult<T>(default, null)
                : new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null);
        }
        catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException)
        {
            // Refused connections, and the resilience pipeline giving up (timeout, open circuit) while the Api is down.
            return new ApiResult<T>(default, new ApiProblem(503, "The Api cannot be reached", e.Message, new Dictionary<string, string[]>()));
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
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        return request;
    }

    private static async Task<ApiProblem> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string title = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "Your session has ended: sign in again",
            HttpStatusCode.Forbidden => "Your role may not do this",
            _ => $"The Api answered {(int)response.StatusCode}",
        };
        HttpValidationProblemDetails? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Json, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a problem document (e.g. an empty 401): the status says enough.
        }

        return new ApiProblem((int)response.StatusCode, problem?.Title ?? title, problem?.Detail,
            new Dictionary<string, string[]>(problem?.Errors ?? new Dictionary<string, string[]>(), StringComparer.Ordinal));
    }
}
