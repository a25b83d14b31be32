using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Providers;

/// <summary>
/// Credential resolution and GitHub clients against real Postgres (a database per test) and the GitHub stand-in:
/// apps before PATs, project before global, replication-lag retries, rate limits and no token in the logs.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GitHubClientsTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private ProviderTestContext _context = null!;
    private GitHubStandIn _github = null!;

    private FakeTimeProvider Clock => _context.Time;

    private System.Collections.Concurrent.ConcurrentQueue<string> Logs => _context.Logs;

    public async ValueTask InitializeAsync()
    {
        _context = await ProviderTestContext.CreateAsync(platform);
        _github = await GitHubStandIn.StartAsync("Iv1.stand-in", _context.Time);
        _context.AllowStandIn(_github.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        await _github.DisposeAsync();
    }

    [Fact]
    public async Task InstalledApp_IsPreferred_OverAPat()
    {
        var app = await RegisterAppAsync(projectKey: null);
        await RegisterPatAsync(projectKey: null);
        _github.Installations["acme/force-app"] = 101;

        var connection = await ConnectAsync("acme", "force-app", projectKey: null);

        Assert.True(connection.IsApp);
        Assert.Equal(app, connection.IntegrationId);
        Assert.Equal("force-app", (await connection.ExecuteAsync(c => c.Repository.Get("acme", "force-app"), Cancellation)).Name);
        Assert.Equal(1, _github.Mints(101));
    }

    [Fact]
    public async Task WorkflowOperations_GoThroughTheInstallationToken()
    {
        await RegisterAppAsync(projectKey: null);
        _github.Installations["acme/ops"] = 404;
        var connection = await ConnectAsync("acme", "ops", projectKey: null);
        const string sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

        var pull = await connection.ExecuteAsync(c => c.PullRequest.Get("acme", "ops", 7), Cancellation);
        await connection.ExecuteAsync(c => c.Repository.Status.Create("acme", "ops", pull.Head.Sha,
            new Octokit.NewCommitStatus { State = Octokit.CommitState.Success, Context = "sfp/validate", Description = "Validation passed" }), Cancellation);
        var run = await connection.ExecuteAsync(c => c.Check.Run.Create("acme", "ops",
            new Octokit.NewCheckRun("sfp validate", sha) { Status = Octokit.CheckStatus.InProgress }), Cancellation);
        await connection.ExecuteAsync(c => c.Check.Run.Update("acme", "ops", run.Id, new Octokit.CheckRunUpdate
        {
            Status = Octokit.CheckStatus.Completed,
            Conclusion = Octokit.CheckConclusion.Success,
            Output = new Octokit.NewCheckRunOutput("Validated", "3 packages validated"),
        }), Cancellation);
        var comment = await connection.ExecuteAsync(c => c.Issue.Comment.Create("acme", "ops", 7, "Validation started"), Cancellation);
        await connection.ExecuteAsync(c => c.Issue.Comment.Update("acme", "ops", comment.Id, "Validation passed"), Cancellation);
        var writer = await connection.ExecuteAsync(c => c.Repository.Collaborator.ReviewPermission("acme", "ops", "octocat"), Cancellation);
        var reader = await connection.ExecuteAsync(c => c.Repository.Collaborator.ReviewPermission("acme", "ops", "outsider"), Cancellation);

        Assert.Equal((7, sha), (pull.Number, pull.Head.Sha));
        Assert.Equal(4, run.Id);
        Assert.Equal(1001, comment.Id);
        Assert.Equal(("write", "read"), (writer.Permission, reader.Permission));
        var calls = _github.Calls.ToList();
        Assert.All(calls, call => Assert.Equal(connection.Token.Value, call.Token));
        Assert.Contains(calls, c => c is { Method: "POST", Path: $"acme/ops/statuses/{sha}" } && c.Body.Contains("\"state\":\"success\"", StringComparison.Ordinal) && c.Body.Contains("sfp/validate", StringComparison.Ordinal));
        Assert.Contains(calls, c => c is { Method: "PATCH", Path: "acme/ops/check-runs/4" } && c.Body.Contains("\"conclusion\":\"success\"", StringComparison.Ordinal) && c.Body.Contains("3 packages validated", StringComparison.Ordinal));
        Assert.Contains(calls, c => c is { Method: "POST", Path: "acme/ops/issues/7/comments" } && c.Body.Contains("Validation started", StringComparison.Ordinal));
        Assert.Contains(calls, c => c is { Method: "PATCH", Path: "acme/ops/issues/comments/1001" } && c.Body.Contains("Validation passed", StringComparison.Ordinal));
        Assert.Equal(1, _github.Mints(404));
    }

    [Fact]
    public async Task PatFallback_WhenNoAppIsInstalledOnTheRepository()
    {
        await RegisterAppAsync(projectKey: null);
        var pat = await RegisterPatAsync(projectKey: null);

        var connection = await ConnectAsync("acme", "not-installed", projectKey: null);

        Assert.False(connection.IsApp);
        Assert.Equal(pat, connection.IntegrationId);
        Assert.Equal("not-installed", (await connection.ExecuteAsync(c => c.Repository.Get("acme", "not-installed"), Cancellation)).Name);
    }

    [Fact]
    public async Task ProjectScopedCredentials_WinOverGlobalOnes()
    {
        await RegisterPatAsync(projectKey: null);
        var projectPat = await RegisterPatAsync(projectKey: "payments");
        await RegisterPatAsync(projectKey: "other-project");

        Assert.Equal(projectPat, (await ConnectAsync("acme", "r", "payments")).IntegrationId);
        var global = await ConnectAsync("acme", "r", "unknown-project");
        Assert.NotEqual(projectPat, global.IntegrationId);
    }

    [Fact]
    public async Task ProjectPat_WinsOverAGlobalApp_ButAProjectAppWinsOverTheProjectPat()
    {
        await RegisterAppAsync(projectKey: null);
        var projectPat = await RegisterPatAsync(projectKey: "payments");
        _github.Installations["acme/billing"] = 303;

        var byPat = await ConnectAsync("acme", "billing", "payments");
        Assert.False(byPat.IsApp);
        Assert.Equal(projectPat, byPat.IntegrationId);
        Assert.Equal(0, _github.Mints(303));                   // the global App was not even asked for a token

        var projectApp = await RegisterAppAsync(projectKey: "payments");
        var byApp = await ConnectAsync("acme", "billing", "payments");
        Assert.True(byApp.IsApp);
        Assert.Equal(projectApp, byApp.IntegrationId);
    }

    [Fact]
    public async Task NoCredential_SaysWhatToRegister()
    {
        var error = await Assert.ThrowsAsync<ProviderCredentialMissingException>(() => ConnectAsync("acme", "r", "payments"));
        Assert.Contains("acme/r", error.Message);
        Assert.Contains("/sfp/api/integrations", error.Message);
    }

    [Fact]
    public async Task FreshTokenRefused_IsRetriedAfterReplicationLag()
    {
        await RegisterAppAsync(projectKey: null);
        _github.Installations["acme/lagging"] = 202;
        _github.RejectFreshTokensOnce = true;
        var connection = await ConnectAsync("acme", "lagging", projectKey: null);

        var call = connection.ExecuteAsync(c => c.Repository.Get("acme", "lagging"), Cancellation);
        await AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1));

        Assert.Equal("lagging", (await call).Name);
        Assert.Single(_github.RepositoryReads);
        Assert.Equal(1, _github.Mints(202));
    }

    [Theory]
    [InlineData(429, "Retry-After", "7", 7)]
    [InlineData(403, "Retry-After", "60", 60)]
    [InlineData(403, "X-RateLimit-Reset", "+30", 30)]
    public async Task RateLimited_WaitsAsToldThenSucceeds(int status, string header, string value, int expectedWaitSeconds)
    {
        await RegisterPatAsync(projectKey: null);
        var headers = new Dictionary<string, string> { [header] = value.StartsWith('+')
            ? (Clock.GetUtcNow().ToUnixTimeSeconds() + int.Parse(value[1..], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value };
        if (header == "X-RateLimit-Reset")
        {
            headers["X-RateLimit-Remaining"] = "0";
        }

        _github.RepositoryReadFaults.Enqueue((status, headers));
        var connection = await ConnectAsync("acme", "busy", projectKey: null);

        var call = connection.ExecuteAsync(c => c.Repository.Get("acme", "busy"), Cancellation);
        await AdvanceUntilDoneAsync(call, TimeSpan.FromMilliseconds(100));

        Assert.Equal("busy", (await call).Name);
        // Between the refused read and the retried one, on the stand-in's clock: at least what GitHub asked for.
        // (The fake clock also moves while the retry is in flight, so the upper bound leaves room for that.)
        var reads = _github.RepositoryReadTimes.ToList();
        Assert.Equal(2, reads.Count);
        if (header == "X-RateLimit-Reset")
        {
            // GitHub's reset is a whole epoch second, so it can fall up to a second short of "now + 30": the retry must
            // come at or after that instant.
            var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(headers[header], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(reads[1] >= reset, $"retried at {reads[1]:O}, before the reset at {reset:O}");
            Assert.InRange((reads[1] - reads[0]).TotalSeconds, expectedWaitSeconds - 1, expectedWaitSeconds + 10);
        }
        else
        {
            Assert.InRange((reads[1] - reads[0]).TotalSeconds, expectedWaitSeconds, expectedWaitSeconds + 10);
        }
    }

    [Fact]
    public async Task CloneUrl_CarriesTheInstallationTokenAsXAccessToken_AndNoTokenIsLogged()
    {
        await RegisterAppAsync(projectKey: null);
        _github.Installations["acme/clone-me"] = 303;
        var connection = await ConnectAsync("acme", "clone-me", projectKey: null);
        await connection.ExecuteAsync(c => c.Repository.Get("acme", "clone-me"), Cancellation);

        var clone = new Uri(connection.CloneUrl());

        Assert.Equal($"x-access-token:{connection.Token.Value}", clone.UserInfo);
        Assert.Equal("/acme/clone-me.git", clone.AbsolutePath);
        Assert.Equal(_github.BaseUrl.Authority, clone.Authority);
        Assert.NotEmpty(Logs);
        Assert.Empty(TestSecrets.FoundIn(string.Join('\n', Logs)));
        Assert.DoesNotContain(connection.Token.Value, string.Join('\n', Logs));
    }

    private Task<GitHubConnection> ConnectAsync(string owner, string repository, string? projectKey) =>
        _context.InScopeAsync<GitHubClients, GitHubConnection>(c => c.ForRepositoryAsync(owner, repository, projectKey, "tests", Cancellation));

    private Task<Guid> RegisterAppAsync(string? projectKey) =>
        _context.RegisterAsync(IntegrationKinds.GitHubApp, projectKey, $$"""{"appId":1,"clientId":"Iv1.stand-in","baseUrl":"{{_github.BaseUrl}}"}""",
            _github.AppKey.ExportRSAPrivateKeyPem());

    private Task<Guid> RegisterPatAsync(string? projectKey)
    {
        var pat = TestSecrets.Token("ghp");
        _github.Pats.Add(pat);
        return _context.RegisterAsync(IntegrationKinds.GitHubPat, projectKey, $$"""{"baseUrl":"{{_github.BaseUrl}}"}""", pat);
    }

    /// <summary>Moves the fake clock in steps while <paramref name="call"/> waits on it (retry and rate-limit delays).</summary>
    private async Task AdvanceUntilDoneAsync(Task call, TimeSpan step)
    {
        for (var i = 0; i < 3000 && !call.IsCompleted; i++)
        {
            await Task.Delay(10, Cancellation);
            Clock.Advance(step);
        }

        Assert.True(call.IsCompleted, "the call did not finish");
    }
}
