using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A loopback stand-in for GitHub's App API under <c>/api/v3</c> (how Octokit addresses any host but
/// api.github.com): it checks the app JWT as GitHub does — RS256 signed by the app's registered public key, the
/// expected issuer, issued no later than now, expiring in the future and at most 10 minutes after issue — and
/// mints installation tokens valid for one hour, counting mints per installation.
/// </summary>
public sealed partial class GitHubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<long, int> _mints = new();

    private GitHubStandIn(WebApplication app, RSA appKey, string issuer, TimeProvider time)
    {
        _app = app;
        AppKey = appKey;
        Issuer = issuer;
        Time = time;
    }

    public RSA AppKey { get; }

    public string Issuer { get; }

    public TimeProvider Time { get; }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How long minting takes, to let concurrent callers pile up.</summary>
    public TimeSpan MintDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public int Mints(long installationId) => _mints.GetValueOrDefault(installationId);

    /// <summary>The repository scope each mint asked for (empty: the whole installation), in order.</summary>
    public ConcurrentQueue<string[]> MintScopes { get; } = new();

    public int RefusedJwts;

    /// <summary>Repositories ("owner/repo", lower case) the app is installed on, with the installation id.</summary>
    public ConcurrentDictionary<string, long> Installations { get; } = new();

    /// <summary>Personal access tokens the stand-in accepts.</summary>
    public ConcurrentBag<string> Pats { get; } = [];

    /// <summary>Answer the first use of each newly minted token with 401, as GitHub's replication lag can.</summary>
    public bool RejectFreshTokensOnce { get; set; }

    /// <summary>Answers to give repository reads before serving them (rate limits), in order.</summary>
    public ConcurrentQueue<(int Status, Dictionary<string, string> Headers)> RepositoryReadFaults { get; } = new();

    /// <summary>When (on the stand-in's clock) each repository read arrived, refused or served.</summary>
    public ConcurrentQueue<DateTimeOffset> RepositoryReadTimes { get; } = new();

    /// <summary>Repository reads seen, by the token that made them.</summary>
    public ConcurrentQueue<string> RepositoryReads { get; } = new();

    private readonly ConcurrentDictionary<string, bool> _issuedTokens = new();

    /// <summary>Write and read calls on repositories (statuses, check runs, comments, permissions, pulls): method, path, body, token.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body, string Token)> Calls { get; } = new();

    /// <summary>Repository files ("owner/repo" → path → content) served as GitHub's tarball of any commit.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> Sources { get; } = new();

    /// <summary>Pull requests ("owner/repo#number") that are merged (GitHub's <c>merged</c>); others are open.</summary>
    public ConcurrentDictionary<string, bool> MergedPullRequests { get; } = new();

    /// <summary>Commits GitHub knows per repository ("owner/repo" → shas): a deployment of any other ref is refused (422).</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> Commits { get; } = new();

    /// <summary>Deployments created, by id: repository, ref, environment.</summary>
    public ConcurrentDictionary<long, (string Repository, string Ref, string Environment)> Deployments { get; } = new();

    /// <summary>Deployment statuses accepted, in order: deployment id, state, environment, description.</summary>
    public ConcurrentQueue<(long Deployment, string State, string? Environment, string? Description)> DeploymentStatuses { get; } = new();

    private long _deploymentIds = 9000;

    private static readonly string[] DeploymentStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

    /// <summary>POST /repos/{o}/{r}/deployments as GitHub answers it: the ref must name a commit it has (else 422), a required_contexts check unless given empty.</summary>
    private IResult CreateDeployment(string repository, string body)
    {
        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        var gitRef = root.TryGetProperty("ref", out var r) && r.ValueKind == System.Text.Json.JsonValueKind.String ? r.GetString()! : "";
        if (gitRef.Length == 0)
        {
            return Results.Json(new { message = "Invalid request.\n\n\"ref\" wasn't supplied.", documentation_url = "https://docs.github.com/rest/deployments/deployments#create-a-deployment" }, statusCode: 422);
        }

        if (!Commits.TryGetValue(repository, out var known) || !known.ContainsKey(gitRef))
        {
            return Results.Json(new { message = $"No ref found for: {gitRef}", documentation_url = "https://docs.github.com/rest/deployments/deployments#create-a-deployment" }, statusCode: 422);
        }

        if (!root.TryGetProperty("required_contexts", out var contexts) || contexts.GetArrayLength() > 0)
        {
            // Without an empty required_contexts GitHub checks the commit's statuses; the stand-in has none to pass.
            return Results.Json(new { message = "Conflict: Commit status checks failed for " + gitRef }, statusCode: 409);
        }

        var environment = root.TryGetProperty("environment", out var e) ? e.GetString() ?? "production" : "production";
        var id = Interlocked.Increment(ref _deploymentIds);
        Deployments[id] = (repository, gitRef, environment);
        return Results.Json(new { id, sha = gitRef, @ref = gitRef, task = "deploy", environment, url = $"https://example/deployments/{id}", creator = new { login = "sfp-bot[bot]", id = 2 } }, statusCode: 201);
    }

    /// <summary>POST /repos/{o}/{r}/deployments/{id}/statuses: an unknown deployment is 404, a state GitHub does not name is 422.</summary>
    private IResult CreateDeploymentStatus(string repository, string deploymentId, string body)
    {
        if (!long.TryParse(deploymentId, System.Globalization.CultureInfo.InvariantCulture, out var id) || !Deployments.TryGetValue(id, out var deployment) || deployment.Repository != repository)
        {
            return Results.Json(new { message = "Not Found" }, statusCode: 404);
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        var root = json.RootElement;
        var state = root.TryGetProperty("state", out var s) ? s.GetString() ?? "" : "";
        if (!DeploymentStates.Contains(state))
        {
            return Results.Json(new { message = "Validation Failed", errors = new[] { new { resource = "DeploymentStatus", code = "invalid", field = "state" } } }, statusCode: 422);
        }

        var environment = root.TryGetProperty("environment", out var e) ? e.GetString() : null;
        var description = root.TryGetProperty("description", out var d) ? d.GetString() : null;
        if (description is { Length: > 140 })
        {
            return Results.Json(new { message = "Validation Failed", errors = new[] { new { resource = "DeploymentStatus", code = "custom", field = "description", message = "description is too long (maximum is 140 characters)" } } }, statusCode: 422);
        }

        DeploymentStatuses.Enqueue((id, state, environment, description));
        return Results.Json(new { id = DeploymentStatuses.Count, state, environment = environment ?? deployment.Environment, description }, statusCode: 201);
    }

    private bool IsKnownToken(string authorization, out string token)
    {
        token = authorization.Split(' ', 2) is [_, var presented] ? presented : "";
        return _issuedTokens.ContainsKey(token) || Pats.Contains(token);
    }

    public static async Task<GitHubStandIn> StartAsync(string issuer, TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new GitHubStandIn(app, RSA.Create(2048), issuer, time);

        app.MapPost("/api/v3/app/installations/{installationId:long}/access_tokens", async (long installationId, HttpRequest request) =>
        {
            if (!await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString()))
            {
                Interlocked.Increment(ref standIn.RefusedJwts);
                return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
            }

            var requested = await new StreamReader(request.Body).ReadToEndAsync();
            standIn.MintScopes.Enqueue(requested.Length == 0 ? [] : System.Text.Json.JsonDocument.Parse(requested).RootElement
                .TryGetProperty("repositories", out var repositories) ? [.. repositories.EnumerateArray().Select(r => r.GetString()!)] : []);
            await Task.Delay(standIn.MintDelay);
            var count = standIn._mints.AddOrUpdate(installationId, 1, (_, n) => n + 1);
            var issued = TestSecrets.Remember($"ghs_{installationId}_{count}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}");
            standIn._issuedTokens[issued] = standIn.RejectFreshTokensOnce;
            standIn._tokenInstallations[issued] = installationId;
            return Results.Json(new
            {
                token = issued,
                expires_at = standIn.Time.GetUtcNow().AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                permissions = new { statuses = "write", checks = "write", pull_requests = "write", contents = "read" },
                repository_selection = "all",
            }, statusCode: 201);
        });

        app.MapGet("/api/v3/repos/{owner}/{repo}/installation", async (string owner, string repo, HttpRequest request) =>
        {
            if (!await standIn.IsValidAppJwtAsync(request.Headers.Authorization.ToString()))
            {
                Interlocked.Increment(ref standIn.RefusedJwts);
                return Results.Json(new { message = "A JSON web token could not be decoded" }, statusCode: 401);
            }

            return standIn.Installations.TryGetValue($"{owner}/{repo}".ToLowerInvariant(), out var id)
                ? Results.Json(new
                {
                    id,
                    app_id = 1,
                    target_type = "Organization",
                    repository_selection = "all",
                    account = new { login = owner, id = 1, type = "Organization" },
                    permissions = new { statuses = "write" },
                    events = Array.Empty<string>(),
                })
                : Results.Json(new { message = "Not Found" }, statusCode: 404);
        });

        app.MapGet("/api/v3/repos/{owner}/{repo}", (string owner, string repo, HttpRequest request, HttpResponse response) =>
        {
            var authorization = request.Headers.Authorization.ToString();
            var token = authorization.Split(' ', 2) is [_, var presented] ? presented : "";
            if (standIn._issuedTokens.TryGetValue(token, out var rejectOnce) && rejectOnce)
            {
                standIn._issuedTokens[token] = false;
                return Results.Json(new { message = "Bad credentials" }, statusCode: 401);
            }

            if (!standIn._issuedTokens.ContainsKey(token) && !standIn.Pats.Contains(token))
            {
                return Results.Json(new { message = "Bad credentials" }, statusCode: 401);
            }

            standIn.RepositoryReadTimes.Enqueue(standIn.Time.GetUtcNow());
            if (standIn.RepositoryReadFaults.TryDequeue(out var fault))
            {
                foreach (var (name, headerValue) in fault.Headers)
                {
                    response.Headers[name] = headerValue;
                }

                return Results.Json(new { message = "API rate limit exceeded" }, statusCode: fault.Status);
            }

            standIn.RepositoryReads.Enqueue(token);
            return Results.Json(new
            {
                id = 1,
                name = repo,
                full_name = $"{owner}/{repo}",
                @private = true,
                default_branch = "main",
                owner = new { login = owner, id = 1, type = "Organization" },
            });
        });

        // What the workflows call: PRs, commit statuses, check runs, PR comments, a user's permission.
        app.MapMethods("/api/v3/repos/{owner}/{repo}/{**rest}", ["GET", "POST", "PATCH"], async (string owner, string repo, string rest, HttpRequest request) =>
        {
            if (!standIn.IsKnownToken(request.Headers.Authorization.ToString(), out var token))
            {
                return Results.Json(new { message = "Bad credentials" }, statusCode: 401);
            }

            var body = await new StreamReader(request.Body).ReadToEndAsync();
            standIn.Calls.Enqueue((request.Method, $"{owner}/{repo}/{rest}", body, token));
            var segments = rest.Split('/');
            if (segments[0] == "check-runs" && standIn.Pats.Contains(token))
            {
                // As GitHub: the Checks API is for Apps only.
                return Results.Json(new { message = "You must authenticate via a GitHub App.", documentation_url = "https://docs.github.com/rest/checks/runs#create-a-check-run" }, statusCode: 403);
            }

            return (request.Method, segments) switch
            {
                ("POST", ["deployments"]) => standIn.CreateDeployment($"{owner}/{repo}", body),
                ("POST", ["deployments", var deploymentId, "statuses"]) => standIn.CreateDeploymentStatus($"{owner}/{repo}", deploymentId, body),
                ("GET", ["pulls", var number]) => Results.Json(new
                {
                    id = 1, number = int.Parse(number, System.Globalization.CultureInfo.InvariantCulture),
                    state = standIn.MergedPullRequests.ContainsKey($"{owner}/{repo}#{number}") ? "closed" : "open",
                    merged = standIn.MergedPullRequests.ContainsKey($"{owner}/{repo}#{number}"),
                    merged_at = standIn.MergedPullRequests.ContainsKey($"{owner}/{repo}#{number}") ? "2026-12-01T09:00:00Z" : null,
                    draft = false, title = "Add feature",
                    head = new { @ref = "feature", sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e", label = $"{owner}:feature" },
                    @base = new { @ref = "main", sha = "0000000000000000000000000000000000000001", label = $"{owner}:main" },
                    user = new { login = "octocat", id = 1 },
                }),
                ("POST", ["statuses", var sha]) => Results.Json(new { id = 1, state = "success", context = "sfp/validate", url = $"https://example/{sha}" }, statusCode: 201),
                ("POST", ["check-runs"]) => Results.Json(new { id = 4, name = "sfp validate", status = "in_progress", head_sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e" }, statusCode: 201),
                ("PATCH", ["check-runs", var id]) => Results.Json(new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), name = "sfp validate", status = "completed", conclusion = "success" }),
                ("POST", ["issues", _, "comments"]) => Results.Json(new { id = 1001, body = "created", user = new { login = "sfp-bot[bot]", id = 2 } }, statusCode: 201),
                ("PATCH", ["issues", "comments", var id]) => Results.Json(new { id = long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), body = "updated", user = new { login = "sfp-bot[bot]", id = 2 } }),
                ("GET", ["tarball", var sha]) when standIn.Sources.TryGetValue($"{owner}/{repo}", out var files) =>
                    Results.File(Tarball($"{owner}-{repo}-{sha[..Math.Min(7, sha.Length)]}", files), "application/x-gzip"),
                ("GET", ["collaborators", var user, "permission"]) => Results.Json(new { permission = user == "outsider" ? "read" : "write", user = new { login = user, id = 3 } }),
                _ => Results.Json(new { message = "Not Found" }, statusCode: 404),
            };
        });

        MapHookDeliveries(app, standIn);
        await app.StartAsync();
        standIn.BaseUrl = new Uri(app.Urls.Single() + "/");
        return standIn;
    }

    /// <summary>A .tar.gz with one top folder, as GitHub's tarball endpoint serves it.</summary>
    private static byte[] Tarball(string top, Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new System.Formats.Tar.TarWriter(gzip))
        {
            tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.Directory, top + "/"));
            foreach (var (path, content) in files)
            {
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, $"{top}/{path}")
                {
                    DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
                });
            }
        }

        return buffer.ToArray();
    }

    private async Task<bool> IsValidAppJwtAsync(string authorization)
    {
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(authorization["Bearer ".Length..], new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(AppKey.ExportParameters(false)),
            ValidIssuer = Issuer,
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        if (!result.IsValid)
        {
            return false;
        }

        var token = (JsonWebToken)result.SecurityToken;
        var now = Time.GetUtcNow();
        return token.IssuedAt <= now.UtcDateTime
            && token.ValidTo > now.UtcDateTime
            && token.ValidTo - token.IssuedAt <= TimeSpan.FromMinutes(10);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _sender.Dispose();
        AppKey.Dispose();
    }
}
