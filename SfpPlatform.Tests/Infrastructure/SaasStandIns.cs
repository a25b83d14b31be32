using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Loopback stand-ins for dev.azure.com (REST 7.1, PAT as basic auth; a refused PAT gets 203 with a sign-in page
/// as the real service answers) and login.salesforce.com (the JWT bearer assertion is verified with the connected
/// app's certificate key, audience and lifetime; refresh-token grants; userinfo; sessions can be expired).
/// </summary>
public sealed class SaasStandIns : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _sessions = new();

    private SaasStandIns(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public string AzureDevOpsPat { get; } = TestSecrets.Token("adopat");

    /// <summary>Repository files ("project/repo" → path → content) served as the items API's zip of any commit.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> AzureDevOpsSources { get; } = new();

    /// <summary>Every Azure DevOps request: method, path and query, body.</summary>
    public ConcurrentQueue<(string Method, string Target, string Body)> AzureDevOpsRequests { get; } = new();

    public RSA ConnectedAppKey { get; } = RSA.Create(2048);

    public string ConsumerKey { get; } = "3MVG9standin";

    public string Username { get; } = "ci@example.com";

    public string RefreshToken { get; } = TestSecrets.Token("5Aep");

    public int SessionsIssued;

    public static async Task<SaasStandIns> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIns = new SaasStandIns(app);

        // Azure DevOps: every route under /{organization}/...
        app.Map("/contoso/{**rest}", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            standIns.AzureDevOpsRequests.Enqueue((request.Method, request.Path + request.QueryString, body));
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + standIns.AzureDevOpsPat));
            if (request.Headers.Authorization != expected)
            {
                return Results.Content("<html>Sign in</html>", "text/html", statusCode: 203);
            }

            if (request.Query["api-version"] != "7.1")
            {
                return Results.Json(new { message = "api-version 7.1 required" }, statusCode: 400);
            }

            var path = request.Path.Value!;
            return (request.Method, path) switch
            {
                ("GET", _) when path.EndsWith("/_apis/git/repositories/force-app", StringComparison.Ordinal) =>
                    Results.Json(new { id = "c0ffee", name = "force-app", defaultBranch = "refs/heads/main", remoteUrl = "https://dev.azure.com/contoso/Sales/_git/force-app" }),
                ("GET", _) when path.Contains("/pullrequests/", StringComparison.Ordinal) =>
                    Results.Json(new
                    {
                        pullRequestId = int.Parse(path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture), status = "active",
                        sourceRefName = "refs/heads/feature", targetRefName = "refs/heads/main", isDraft = false,
                        lastMergeSourceCommit = new { commitId = "53d54ac915144006c2c9e90d2c7d3880920db49c" },
                    }),
                ("GET", _) when path.EndsWith("/items", StringComparison.Ordinal) && request.Query["$format"] == "zip"
                        && path.Split('/') is [_, _, var project, "_apis", "git", "repositories", var repo, "items"]
                        && standIns.AzureDevOpsSources.TryGetValue($"{Uri.UnescapeDataString(project)}/{Uri.UnescapeDataString(repo)}", out var files) =>
                    Results.File(Zip(files), "application/zip"),
                ("POST", _) when path.EndsWith("/statuses", StringComparison.Ordinal) => Results.Json(new { id = 11 }, statusCode: 201),
                ("POST", _) when path.EndsWith("/threads", StringComparison.Ordinal) => Results.Json(new { id = 21 }, statusCode: 200),
                ("POST", _) when path.EndsWith("/comments", StringComparison.Ordinal) => Results.Json(new { id = 2 }, statusCode: 200),
                ("POST", _) when path.EndsWith("/runs", StringComparison.Ordinal) => Results.Json(new { id = 31, state = "inProgress" }, statusCode: 200),
                _ => Results.NotFound(),
            };
        });

        // Salesforce.
        app.MapPost("/services/oauth2/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var valid = form["grant_type"].ToString() switch
            {
                "urn:ietf:params:oauth:grant-type:jwt-bearer" => await standIns.IsValidAssertionAsync(form["assertion"].ToString()),
                "refresh_token" => form["client_id"] == "PlatformCLI" && form["refresh_token"] == standIns.RefreshToken,
                _ => false,
            };
            if (!valid)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "authentication failure" }, statusCode: 400);
            }

            var session = TestSecrets.Remember($"00Dstandin!{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");
            standIns._sessions[session] = true;
            Interlocked.Increment(ref standIns.SessionsIssued);
            return Results.Json(new { access_token = session, instance_url = standIns.BaseUrl.AbsoluteUri.TrimEnd('/'), token_type = "Bearer", id = "https://login.salesforce.com/id/00D/005" });
        });
        app.MapGet("/services/oauth2/userinfo", (HttpRequest request) =>
            request.Headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)
                && standIns._sessions.TryGetValue(auth["Bearer ".Length..], out var live) && live
                ? Results.Json(new { preferred_username = standIns.Username, organization_id = "00D" })
                : Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401));

        await app.StartAsync();
        standIns.BaseUrl = new Uri(app.Urls.Single() + "/");
        return standIns;
    }

    /// <summary>A zip with the files at its root, as the items API serves a folder.</summary>
    private static byte[] Zip(Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Ends every session, as an org's session timeout or a logout would.</summary>
    public void ExpireSessions()
    {
        foreach (var key in _sessions.Keys)
        {
            _sessions[key] = false;
        }
    }

    private async Task<bool> IsValidAssertionAsync(string assertion)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(ConnectedAppKey.ExportParameters(false)),
            ValidIssuer = ConsumerKey,
            ValidAudience = BaseUrl.AbsoluteUri.TrimEnd('/'),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = true,
            RequireExpirationTime = true,
        });
        return result.IsValid
            && ((JsonWebToken)result.SecurityToken).Subject == Username
            && ((JsonWebToken)result.SecurityToken).ValidTo <= DateTime.UtcNow.AddMinutes(5);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        ConnectedAppKey.Dispose();
    }
}
