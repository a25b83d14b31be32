using System.Net;
using System.Text;
using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.UnitTests.Core.Webhooks.Recovery;

/// <summary>GitHub's delivery list (its documented item, cursor pages) and redelivery answers, over a recording handler.</summary>
public sealed class GitHubHookDeliveriesClientTests
{
    private static readonly RecoverableHook Hook = new("k", new Uri("https://api.github.com/"), RecoverableHook.AppHookPath, _ => Task.FromResult("jwt-value"));

    // GitHub's documented example item of GET /app/hook/deliveries.
    private const string Page = """
        [{"id":12345678,"guid":"0b989ba4-242f-11e5-81e1-c7b6966d2516","delivered_at":"2019-06-03T00:57:16Z","redelivery":false,
          "duration":0.27,"status":"OK","status_code":200,"event":"issues","action":"opened","installation_id":123,"repository_id":456,
          "throttled_at":"2019-06-03T00:57:16Z"}]
        """;

    [Fact]
    public async Task ListAsync_ReadsGitHubsItem_AndFollowsTheNextLink()
    {
        var handler = new Recording(_ => Json(Page, """<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_12345677>; rel="next", <https://api.github.com/app/hook/deliveries?per_page=100>; rel="first" """));
        var client = new GitHubHookDeliveriesClient(new HttpClient(handler));

        var (items, next) = await client.ListAsync(Hook, null, Cancellation);

        var item = Assert.Single(items);
        Assert.Equal((12345678L, "0b989ba4-242f-11e5-81e1-c7b6966d2516", 200, false), (item.Id, item.Guid, item.StatusCode, item.Redelivery));
        Assert.Equal(new DateTimeOffset(2019, 6, 3, 0, 57, 16, TimeSpan.Zero), item.DeliveredAt);
        Assert.Equal("https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_12345677", next!.AbsoluteUri);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("https://api.github.com/app/hook/deliveries?per_page=100", request.Uri.AbsoluteUri);
        Assert.Equal("Bearer jwt-value", request.Authorization);
    }

    [Fact]
    public async Task ListAsync_NeverSendsTheTokenToAnotherHost()
    {
        var handler = new Recording(_ => Json("[]", null));
        var client = new GitHubHookDeliveriesClient(new HttpClient(handler));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(Hook, new Uri("https://evil.example/app/hook/deliveries?cursor=v1_1"), Cancellation));
        Assert.Empty(handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.Accepted, RedeliveryAnswer.Accepted)]
    [InlineData(HttpStatusCode.UnprocessableEntity, RedeliveryAnswer.Refused)]
    [InlineData(HttpStatusCode.ServiceUnavailable, RedeliveryAnswer.Failed)]
    [InlineData(HttpStatusCode.Unauthorized, RedeliveryAnswer.Failed)]
    public async Task RedeliverAsync_PostsTheAttempt_AndReadsGitHubsAnswer(HttpStatusCode status, RedeliveryAnswer expected)
    {
        var handler = new Recording(_ => new HttpResponseMessage(status) { Content = new StringContent("{}") });
        var client = new GitHubHookDeliveriesClient(new HttpClient(handler));

        Assert.Equal(expected, await client.RedeliverAsync(Hook, 42, Cancellation));
        var request = Assert.Single(handler.Requests);
        Assert.Equal(("POST", "https://api.github.com/app/hook/deliveries/42/attempts"), (request.Method, request.Uri.AbsoluteUri));
    }

    [Theory]
    [InlineData("repos/octo/site/hooks/7", HttpStatusCode.NotFound, "needs admin access to the repository")]
    [InlineData("repos/octo/site/hooks/7", HttpStatusCode.Forbidden, "Webhooks permission")]
    [InlineData("orgs/octo/hooks/8", HttpStatusCode.NotFound, "needs an organisation owner")]
    [InlineData("app/hook", HttpStatusCode.Unauthorized, "the App's JWT was refused")]
    public async Task ListAsync_Refused_SaysWhatTheHookNeeds(string path, HttpStatusCode status, string expected)
    {
        var hook = new RecoverableHook("k", new Uri("https://api.github.com/"), path, _ => Task.FromResult("token-value"));
        var client = new GitHubHookDeliveriesClient(new HttpClient(new Recording(_ => new HttpResponseMessage(status) { Content = new StringContent("""{"message":"Not Found"}""") })));

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync(hook, null, Cancellation));

        Assert.Equal(status, refused.StatusCode);
        Assert.Contains($"GitHub answered {(int)status} when asked to list the deliveries of {path}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinkHeader_WithoutNext_IsTheLastPage()
    {
        Assert.Null(LinkHeader.Next("""<https://api.github.com/app/hook/deliveries?per_page=2>; rel="first" """, Hook.ApiBase));
        Assert.Null(LinkHeader.Next(null, Hook.ApiBase));
    }

    private static HttpResponseMessage Json(string body, string? link)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", link);
        }

        return response;
    }

    private sealed class Recording(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(string Method, Uri Uri, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Method.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
            return Task.FromResult(answer(request));
        }
    }
}
