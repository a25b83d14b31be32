using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

/// <summary>
/// Signed GitHub <c>pull_request</c> deliveries through the running stack's edge, as GitHub sends them: an owner token
/// from the dev token endpoint, a <c>github-webhook</c> integration of the benchmark's own (random target and secret),
/// then each delivery signed with it. Open-loop sends measure latency from the scheduled send time.
/// </summary>
internal sealed class SignedIntake(HttpClient http, byte[] key, string targetId, string name)
{
    public const string GitHubPath = "/sfp/api/webhooks/github";

    /// <summary>The integration's name (<c>bench-</c> and a new GUID).</summary>
    public string Name => name;

    /// <summary>The hook target id the integration was registered with (and each delivery carries).</summary>
    public string TargetId => targetId;

    /// <summary>Registers the integration on the stack behind <paramref name="http"/>'s base address.</summary>
    public static async Task<SignedIntake> RegisterAsync(HttpClient http)
    {
        string accessToken;
        using (var tokenResponse = await http.PostAsJsonAsync("/sfp/api/dev/token", new { role = "owner" }))
        {
            tokenResponse.EnsureSuccessStatusCode();
            accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()
                ?? throw new InvalidOperationException("The dev token endpoint returned no accessToken.");
        }

        var targetId = RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var name = $"bench-{Guid.NewGuid()}";
        using var register = new HttpRequestMessage(HttpMethod.Post, "/sfp/api/integrations");
        register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        register.Content = JsonContent.Create(new
        {
            kind = "github-webhook",
            name,
            settings = new { targetType = "integration", targetId = long.Parse(targetId, CultureInfo.InvariantCulture) },
            secret,
        });
        using var registered = await http.SendAsync(register);
        if (registered.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException(
                $"Registering the webhook integration answered {(int)registered.StatusCode}: {await registered.Content.ReadAsStringAsync()}");
        }

        return new SignedIntake(http, Encoding.UTF8.GetBytes(secret), targetId, name);
    }

    /// <summary>The payload <paramref name="template"/> for <paramref name="repository"/>, pull request <paramref name="number"/>.</summary>
    public static byte[] Body(string template, string repository, int number)
    {
        var payload = JsonNode.Parse(template) ?? throw new InvalidDataException("The payload is JSON null.");
        (payload["repository"] ?? throw new InvalidDataException("The payload has no repository."))["full_name"] = repository;
        (payload["pull_request"] ?? throw new InvalidDataException("The payload has no pull_request."))["number"] = number;
        payload["number"] = number;
        return JsonSerializer.SerializeToUtf8Bytes(payload);
    }

    /// <summary>
    /// Sends <paramref name="body"/> as a new delivery; the answer's status and content (or the transport error) and the
    /// latency in milliseconds from <paramref name="scheduled"/> (a <see cref="Stopwatch"/> timestamp), taken once the
    /// whole answer is read.
    /// </summary>
    public async Task<Answer> SendAsync(byte[] body, long scheduled)
    {
        var deliveryId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, GitHubPath) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", "pull_request");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-GitHub-Hook-Installation-Target-Type", "integration");
        request.Headers.Add("X-GitHub-Hook-Installation-Target-ID", targetId);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, body)));
        try
        {
            using var response = await http.SendAsync(request);
            var content = await response.Content.ReadAsByteArrayAsync();
            return new Answer(deliveryId, response.StatusCode, null, Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, content);
        }
        catch (HttpRequestException e)
        {
            return new Answer(deliveryId, null, e.HttpRequestError.ToString(), Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, []);
        }
        catch (TaskCanceledException)
        {
            return new Answer(deliveryId, null, "timeout", Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds, []);
        }
    }

    /// <summary>One delivery's outcome: <see cref="Status"/> null when the request failed (<see cref="Error"/> says how).</summary>
    public sealed record Answer(string DeliveryId, HttpStatusCode? Status, string? Error, double Milliseconds, byte[] Content);
}
