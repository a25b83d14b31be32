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
/// as the real service answers) and Salesforce (login and an org: the JWT bearer assertion is verified with the
/// connected app's certificate key, issuer, subject, audience and expiry; refresh-token grants of known users;
/// userinfo, the User sObject and the queries the Salesforce CLI makes while logging in; sessions can be expired).
/// With <see cref="TestCertificates"/>, Salesforce also answers over HTTPS on <c>localhost:443</c> — an sfdx auth URL
/// names a host without a port, so that is where <c>sfp org login url</c> goes.
/// </summary>
public sealed class SaasStandIns : IAsyncDisposable
{
    /// <summary>The org every stand-in user belongs to (an 18-character id, as the CLI parses it).</summary>
    public const string OrgId = "00D5g000004SfpPEAS";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Username, bool Live)> _sessions = new();
    private readonly ConcurrentDictionary<string, SalesforceUser> _users = new(StringComparer.OrdinalIgnoreCase);

    private SaasStandIns(WebApplication app) => _app = app;

    /// <summary>Salesforce's field names as it spells them (<c>Username</c>, <c>NamespacePrefix</c>), not camel-cased.</summary>
    private static readonly JsonSerializerOptions AsWritten = new() { PropertyNamingPolicy = null };

    /// <summary>A user of the stand-in org: how the CLI finds it (username, id) and signs in as it (refresh token).</summary>
    public sealed record SalesforceUser(string Username, string UserId, string RefreshToken, bool IsDevHub);

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Salesforce over HTTPS (<c>https://localhost</c>), when started with certificates.</summary>
    public Uri? SalesforceHttpsUrl { get; private set; }

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

    /// <summary>
    /// A user of the org (the one named once more is the same user): an sfdx auth URL of it logs the CLI in as it.
    /// Only the dev hub user's org answers the ScratchOrgInfo query, as only a Dev Hub does.
    /// </summary>
    public SalesforceUser User(string username, bool isDevHub = false) =>
        _users.GetOrAdd(username, name => new SalesforceUser(name, $"005{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}AAA"[..18],
            TestSecrets.Token("5Aep"), isDevHub));

    /// <summary>An sfdx auth URL of <paramref name="username"/> on the HTTPS stand-in (no port: the CLI drops one).</summary>
    public string AuthUrl(string username) =>
        TestSecrets.Remember($"force://PlatformCLI::{User(username).RefreshToken}@localhost");

    /// <param name="certificates">When given, Salesforce answers over HTTPS on localhost:443 too (IPv4 and IPv6 loopback).</param>
    public static async Task<SaasStandIns> StartAsync(TestCertificates? certificates = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            if (certificates is not null)
            {
                k.Listen(IPAddress.Loopback, 443, l => l.UseHttps(certificates.Server));
                k.Listen(IPAddress.IPv6Loopback, 443, l => l.UseHttps(certificates.Server));
            }
        });
        var app = builder.Build();
        var standIns = new SaasStandIns(app);
        standIns._users[standIns.Username] = new SalesforceUser(standIns.Username, "0055g00000SfpCIAAA", standIns.RefreshToken, IsDevHub: true);

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
                        lastMergeTargetCommit = new { commitId = "a511f535b1ea495ee0c903badb68fbc83772c882" },
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

        // Salesforce: login (OAuth 2.0 token endpoint, userinfo) and the org's REST API.
        app.MapPost("/services/oauth2/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var user = form["grant_type"].ToString() switch
            {
                "urn:ietf:params:oauth:grant-type:jwt-bearer" => await standIns.AssertedUserAsync(form["assertion"].ToString()),
                "refresh_token" when form["client_id"] == "PlatformCLI" =>
                    standIns._users.Values.FirstOrDefault(u => u.RefreshToken == form["refresh_token"].ToString()),
                _ => null,
            };
            if (user is null)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "authentication failure" }, statusCode: 400);
            }

            var session = TestSecrets.Remember($"00Dstandin!{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");
            standIns._sessions[session] = (user.Username, true);
            Interlocked.Increment(ref standIns.SessionsIssued);
            return Results.Json(new
            {
                access_token = session,
                instance_url = $"{request.Scheme}://{request.Host}",
                token_type = "Bearer",
                id = $"https://login.salesforce.com/id/{OrgId}/{user.UserId}",
                issued_at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
        });
        app.MapGet("/services/oauth2/userinfo", (HttpRequest request) => standIns.SessionUser(request) is { } user
            ? Results.Json(new { preferred_username = user.Username, organization_id = OrgId, user_id = user.UserId })
            : InvalidSession());
        app.MapGet("/services/data", () => Results.Json(new[] { new { label = "Winter '25", url = "/services/data/v62.0", version = "62.0" } }));
        app.MapGet("/services/data/{version}/sobjects/User/{id}", (HttpRequest request, string id) =>
            standIns.SessionUser(request) is null ? InvalidSession()
            : standIns._users.Values.FirstOrDefault(u => u.UserId == id) is { } user ? Results.Json(new { Id = user.UserId, Username = user.Username }, AsWritten)
            : Results.Json(new[] { new { errorCode = "NOT_FOUND", message = "The requested resource does not exist" } }, statusCode: 404));
        app.MapGet("/services/data/{version}/query", (HttpRequest request) =>
        {
            if (standIns.SessionUser(request) is not { } user)
            {
                return InvalidSession();
            }

            var query = request.Query["q"].ToString();
            return query switch
            {
                _ when query.Contains("FROM ScratchOrgInfo", StringComparison.OrdinalIgnoreCase) => user.IsDevHub
                    ? Results.Json(new { totalSize = 0, done = true, records = Array.Empty<object>() })
                    : Results.Json(new[] { new { errorCode = "INVALID_TYPE", message = "sObject type 'ScratchOrgInfo' is not supported." } }, statusCode: 400),
                _ when query.Contains("FROM Organization", StringComparison.OrdinalIgnoreCase) =>
                    Results.Json(new { totalSize = 1, done = true, records = new[] { new { NamespacePrefix = (string?)null } } }, AsWritten),
                _ => Results.Json(new[] { new { errorCode = "MALFORMED_QUERY", message = "not a query the stand-in answers" } }, statusCode: 400),
            };
        });

        await app.StartAsync();
        standIns.BaseUrl = new Uri(app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)) + "/");
        standIns.SalesforceHttpsUrl = certificates is null ? null : new Uri("https://localhost/");
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
        foreach (var (key, session) in _sessions)
        {
            _sessions[key] = session with { Live = false };
        }
    }

    private static IResult InvalidSession() =>
        Results.Json(new[] { new { message = "Session expired or invalid", errorCode = "INVALID_SESSION_ID" } }, statusCode: 401);

    private SalesforceUser? SessionUser(HttpRequest request) =>
        request.Headers.Authorization.ToString() is var auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)
        && _sessions.TryGetValue(auth["Bearer ".Length..], out var session) && session.Live
            ? _users.GetValueOrDefault(session.Username)
            : null;

    /// <summary>
    /// The user a JWT bearer assertion signs in as: signed with the connected app's key, issued by its consumer key,
    /// for a known user, addressed to this login URL (either listener), not expired. Salesforce sets no upper bound
    /// on <c>exp</c> in practice — the Salesforce CLI's library sends milliseconds, far in the future — so neither does
    /// the stand-in.
    /// </summary>
    private async Task<SalesforceUser?> AssertedUserAsync(string assertion)
    {
        string[] audiences = SalesforceHttpsUrl is { } https
            ? [BaseUrl.AbsoluteUri.TrimEnd('/'), https.AbsoluteUri.TrimEnd('/')]
            : [BaseUrl.AbsoluteUri.TrimEnd('/')];
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(assertion, new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(ConnectedAppKey.ExportParameters(false)),
            ValidIssuer = ConsumerKey,
            ValidAudiences = audiences,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateLifetime = true,
            RequireExpirationTime = true,
        });
        return result.IsValid ? _users.GetValueOrDefault(((JsonWebToken)result.SecurityToken).Subject) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        ConnectedAppKey.Dispose();
    }
}
