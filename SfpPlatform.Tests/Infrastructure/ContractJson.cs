using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Reads the Api's JSON into the contract's records strictly: a member the record lacks, a constructor parameter the
/// JSON lacks, or a null where the record says none may be, fails the read. So a property renamed on either side
/// fails here, not in a page that shows an empty value.
/// </summary>
public static class ContractJson
{
    public static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Strict) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    /// <summary>Sends the request, requires <paramref name="expected"/>, and reads the answer as <typeparamref name="T"/>.</summary>
    public static async Task<T> SendAsync<T>(HttpClient client, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(body, body.GetType());
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return Read<T>(text);
    }
}
