using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SfpPlatform.Cli.Commands;

/// <summary>
/// The commands that act as a person would (replay, cancel, follow a log) go through the Api with a token: the Api routes
/// replays under the current rules, tells the workflow engine (Hatchet too) of a cancel, and records the token's owner in
/// the audit trail. <c>--api-url</c> (or <c>SFP_API_URL</c>) is the edge (e.g. https://sfp.example.com); <c>--token</c>
/// (or <c>SFP_TOKEN</c>) an owner's bearer token.
/// </summary>
public sealed class PlatformApi(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static Option<string?> UrlOption() => new("--api-url") { Description = "The platform's URL, e.g. https://sfp.example.com (default: SFP_API_URL)." };

    public static Option<string?> TokenOption() => new("--token") { Description = "An owner's bearer token (default: SFP_TOKEN)." };

    public static PlatformApi Create(string? url, string? token)
    {
        url ??= Environment.GetEnvironmentVariable("SFP_API_URL");
        token ??= Environment.GetEnvironmentVariable("SFP_TOKEN");
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var baseUrl))
        {
            throw new CommandException("no platform URL: pass --api-url or set SFP_API_URL (e.g. https://sfp.example.com).");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new CommandException("no token: pass --token or set SFP_TOKEN (an owner's bearer token).");
        }

        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new PlatformApi(http);
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        await EnsureAsync(response, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    /// <summary>POSTs; a refusal the caller expects (e.g. 409) comes back as its status and problem detail.</summary>
    public async Task<(HttpStatusCode Status, T? Body, string? Problem)> PostAsync<T>(string path, HttpStatusCode[] expectedRefusals, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, content: null, cancellationToken);
        if (expectedRefusals.Contains(response.StatusCode))
        {
            return (response.StatusCode, default, await ProblemAsync(response, cancellationToken));
        }

        await EnsureAsync(response, cancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null);
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var problem = await ProblemAsync(response, cancellationToken);
        throw new CommandException(response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the Api refused the token (401): it is missing, expired or not signed for this platform.",
            HttpStatusCode.Forbidden => "the token's role may not do this (403): an owner's token is needed.",
            _ => $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}"
                + (problem is null ? "." : $": {problem}"),
        });
    }

    private static async Task<string?> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = document.RootElement;
            return root.TryGetProperty("detail", out var detail) ? detail.GetString()
                : root.TryGetProperty("title", out var title) ? title.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
