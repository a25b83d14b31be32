using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Loopback stand-ins for GitHub Enterprise Server (<c>/api/v3/user</c>, bearer token) and Azure DevOps
/// (<c>/{organization}/_apis/projects</c>, PAT as basic auth with an empty user), checking credentials as the real
/// services do and answering 401 otherwise.
/// </summary>
public sealed class ProviderStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProviderStandIn(WebApplication app) => _app = app;

    public string GitHubToken { get; } = TestSecrets.Token("ghp");

    public string AzureDevOpsPat { get; } = TestSecrets.Token("adopat");

    public string BaseUrl { get; private set; } = "";

    public int Port => new Uri(BaseUrl).Port;

    public static async Task<ProviderStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new ProviderStandIn(app);

        app.MapGet("/api/v3/user", (HttpRequest request) =>
            request.Headers.Authorization == $"Bearer {standIn.GitHubToken}" && request.Headers.UserAgent.Count > 0
                ? Results.Json(new { login = "octocat", id = 1 })
                : Results.Json(new { message = "Bad credentials" }, statusCode: 401));
        app.MapGet("/{organization}/_apis/projects", (HttpRequest request) =>
            request.Query["api-version"] == "7.1"
            && request.Headers.Authorization == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + standIn.AzureDevOpsPat))
                ? Results.Json(new { count = 0, value = Array.Empty<object>() })
                : Results.StatusCode(401));

        await app.StartAsync();
        standIn.BaseUrl = app.Urls.Single();
        return standIn;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
