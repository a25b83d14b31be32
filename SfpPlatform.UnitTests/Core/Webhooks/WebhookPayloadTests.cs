using System.Text;
using System.Text.Json;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Authentication;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks;

/// <summary>A delivery body parsed once: what it finds wrong, where, and that it reads the received bytes in place.</summary>
public sealed class WebhookPayloadTests
{
    [Theory]
    [InlineData("""{"action":"opened"}""", WebhookPayloadError.None)]
    [InlineData("""  {"action":"opened"}  """, WebhookPayloadError.None)]
    [InlineData("[]", WebhookPayloadError.NotAnObject)]
    [InlineData("null", WebhookPayloadError.NotAnObject)]
    [InlineData("\"text\"", WebhookPayloadError.NotAnObject)]
    [InlineData("[1,,]", WebhookPayloadError.NotAnObject)]
    [InlineData("""{"action": "opened", "number": 1,,}""", WebhookPayloadError.Malformed)]
    [InlineData("""{"action": "opened\""", WebhookPayloadError.Malformed)]
    [InlineData("", WebhookPayloadError.Malformed)]
    [InlineData("""{"a":1} {"b":2}""", WebhookPayloadError.Malformed)]
    [InlineData("""{"a":1}x""", WebhookPayloadError.Malformed)]
    public void Parse_Body_FindsItsError(string body, WebhookPayloadError expected)
    {
        using var payload = WebhookPayload.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, payload.Error);
        Assert.Equal(expected == WebhookPayloadError.None, payload.IsValid);
    }

    [Fact]
    public void Parse_InvalidUtf8InAString_IsNotUtf8_ButStillNamesItsTarget()
    {
        byte[] body = [.. """{"repository":{"id":42},"title":" """u8, 0xC3, 0x28, .. "\"}"u8];

        using var payload = WebhookPayload.Parse(body);

        Assert.Equal(WebhookPayloadError.NotUtf8, payload.Error);
        // As before: the target lookup reads what it can of a body that is JSON, so such a delivery is authenticated
        // first and refused for its encoding after.
        Assert.Equal(new GitHubHookTarget("repository", "42"), GitHubHookTarget.FromPayload(payload.Root));
    }

    [Fact]
    public void Parse_MalformedBody_SaysWhere()
    {
        using var payload = WebhookPayload.Parse("{\n  \"action\": \"opened\",\n  \"number\": 1,,\n}"u8.ToArray());

        Assert.Equal(WebhookPayloadError.Malformed, payload.Error);
        Assert.Equal(2, payload.Line);
        Assert.Equal(14, payload.BytePosition);   // the second comma
        Assert.Equal(JsonValueKind.Undefined, payload.Root.ValueKind);
    }

    [Theory]
    [InlineData(257, WebhookPayloadError.None)]
    [InlineData(WebhookPayload.MaxDepth - 1, WebhookPayloadError.None)]
    [InlineData(WebhookPayload.MaxDepth + 1, WebhookPayloadError.TooDeep)]
    [InlineData(1_000_000, WebhookPayloadError.TooDeep)]
    public void Parse_DeepNesting_IsAValidBody(int depth, WebhookPayloadError expected)
    {
        // Valid JSON at any depth is an authentic body (a repository_dispatch carries the sender's JSON as sent): the
        // intake stores it; one deeper than a document is read to is kept with its top-level strings, unrouted.
        var body = "{\"action\":\"x\",\"a\":" + new string('[', depth - 1) + new string(']', depth - 1) + "}";

        using var payload = WebhookPayload.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, payload.Error);
        Assert.Equal("x", expected == WebhookPayloadError.None ? payload.Root.GetProperty("action").GetString() : payload.TopLevelString("action"));
    }

    [Fact]
    public void Parse_DeepButMalformed_IsMalformed()
    {
        var body = "{\"a\":" + new string('[', 5000) + new string(']', 4999) + "}";

        using var payload = WebhookPayload.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookPayloadError.Malformed, payload.Error);
    }

    [Theory]
    [InlineData("""{"a":"x\u0000y"}""", """{"a":"x\ufffdy"}""")]
    [InlineData("""{"a":"\ud800"}""", """{"a":"\ufffd"}""")]
    [InlineData("""{"a":"\udc00\ud83d"}""", """{"a":"\ufffd\ufffd"}""")]
    [InlineData("""{"a":"\ud83d\ude00 \\u0000 \u0041"}""", """{"a":"\ud83d\ude00 \\u0000 \u0041"}""")]
    [InlineData("""{"a":"\uD800\u0000"}""", """{"a":"\ufffd\ufffd"}""")]
    public void StorableJson_ReplacesOnlyWhatPostgresRefuses(string body, string normalized)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        var result = StorableJson.Normalize(bytes);

        Assert.Equal(normalized, Encoding.UTF8.GetString(result.Span));
        Assert.Equal(body, Encoding.UTF8.GetString(bytes));
        using var payload = WebhookPayload.Parse(bytes);
        Assert.Equal(WebhookPayloadError.None, payload.Error);
        Assert.DoesNotContain('\0', payload.Root.GetProperty("a").GetString()!);
    }

    [Fact]
    public void Parse_ReadsTheReceivedBytesInPlace_WithoutACopy()
    {
        var body = """{"action":"opened"}"""u8.ToArray();
        using var payload = WebhookPayload.Parse(body);

        // The document indexes the received array: a change to it shows through, which a copy would not.
        body[11] = (byte)'O';

        Assert.Equal("Opened", payload.Root.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("""{"repository":{"id":1296269},"organization":{"id":9919}}""", "repository", "1296269")]
    [InlineData("""{"organization":{"id":9919}}""", "organization", "9919")]
    [InlineData("""{"repository":{"id":"1296269"},"organization":{"id":9919}}""", "organization", "9919")]
    [InlineData("""{"repository":{"id":1.5}}""", null, null)]
    [InlineData("""{"action":"created","zen":"Keep it logically awesome."}""", null, null)]
    [InlineData("[]", null, null)]
    public void FromPayload_RepositoryThenOrganisation_NamesTheTarget(string body, string? type, string? id)
    {
        using var payload = WebhookPayload.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(type is null ? null : new GitHubHookTarget(type, id!), GitHubHookTarget.FromPayload(payload.Root));
    }
}
