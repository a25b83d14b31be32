using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Providers;

/// <summary>
/// Credential resolution and GitHub clients against real Postgres (a database per test) and the GitHub stand-in:
/// apps before PATs, project before global, replication-lag retries, rate limits and no token in the logs.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class GitHubClientsTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _logs = new();
    private TestDatabase _database = null!;
    private GitHubStandIn _github = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(await platform.App.GetConnectionStringAsync(ServiceNames.Postgres) ?? "");
        _github = await GitHubStandIn.StartAsync("Iv1.stand-in", _time);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(_logs)));
        services.AddSingleton<TimeProvider>(_time);
        services.AddDbContext<SfpDbContext>(o => Microsoft.EntityFrameworkCore.NpgsqlDbContextOptionsBuilderExtensions.UseNpgsql(o, _database.ConnectionString));
        services.AddSingleton<IOptionsMonitor<CredentialOptions>>(new StaticOptions(new CredentialOptions { ActiveKeyId = "k", Keys = { ["k"] = new string('k', 40) } }));
        services.AddScoped<CredentialVault>();
        services.AddProviders();
        _services = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _github.DisposeAsync();
        await _database.DisposeAsync();
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
    [InlineData(403, "X-RateLimit-Reset", "+30", 31)]
    public async Task RateLimited_WaitsAsToldThenSucceeds(int status, string header, string value, int expectedWaitSeconds)
    {
        await RegisterPatAsync(projectKey: null);
        var headers = new Dictionary<string, string> { [header] = value.StartsWith('+')
            ? (_time.GetUtcNow().ToUnixTimeSeconds() + int.Parse(value[1..], System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : value };
        if (header == "X-RateLimit-Reset")
        {
            headers["X-RateLimit-Remaining"] = "0";
        }

        _github.RepositoryReadFaults.Enqueue((status, headers));
        var connection = await ConnectAsync("acme", "busy", projectKey: null);
        var started = _time.GetUtcNow();

        var call = connection.ExecuteAsync(c => c.Repository.Get("acme", "busy"), Cancellation);
        await AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1));

        Assert.Equal("busy", (await call).Name);
        var waited = _time.GetUtcNow() - started;
        Assert.InRange(waited.TotalSeconds, expectedWaitSeconds, expectedWaitSeconds + 2);
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
        Assert.NotEmpty(_logs);
        Assert.Empty(TestSecrets.FoundIn(string.Join('\n', _logs)));
        Assert.DoesNotContain(connection.Token.Value, string.Join('\n', _logs));
    }

    private async Task<GitHubConnection> ConnectAsync(string owner, string repository, string? projectKey)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<GitHubClients>().ForRepositoryAsync(owner, repository, projectKey, "tests", Cancellation);
    }

    private async Task<Guid> RegisterAppAsync(string? projectKey) =>
        await RegisterAsync(IntegrationKinds.GitHubApp, projectKey, $$"""{"appId":1,"clientId":"Iv1.stand-in","baseUrl":"{{_github.BaseUrl}}"}""",
            _github.AppKey.ExportRSAPrivateKeyPem());

    private async Task<Guid> RegisterPatAsync(string? projectKey, string? pat = null)
    {
        pat ??= TestSecrets.Token("ghp");
        _github.Pats.Add(pat);
        return await RegisterAsync(IntegrationKinds.GitHubPat, projectKey, $$"""{"baseUrl":"{{_github.BaseUrl}}"}""", pat);
    }

    private async Task<Guid> RegisterAsync(string kind, string? projectKey, string settings, string secret)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SfpDbContext>();
        var (ciphertext, keyId) = await scope.ServiceProvider.GetRequiredService<CredentialVault>().EncryptAsync(secret, Cancellation);
        var integration = new Integration
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Name = $"{kind}-{Guid.NewGuid():n}",
            ProjectKey = projectKey,
            Settings = JsonDocument.Parse(settings),
            SecretCiphertext = ciphertext,
            KeyId = keyId,
            SecretFingerprint = CredentialVault.Fingerprint(secret),
            CreatedAt = _time.GetUtcNow(),
            UpdatedAt = _time.GetUtcNow(),
        };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync(Cancellation);
        return integration.Id;
    }

    /// <summary>Moves the fake clock in steps while <paramref name="call"/> waits on it (retry and rate-limit delays).</summary>
    private async Task AdvanceUntilDoneAsync(Task call, TimeSpan step)
    {
        for (var i = 0; i < 600 && !call.IsCompleted; i++)
        {
            await Task.Delay(10, Cancellation);
            _time.Advance(step);
        }

        Assert.True(call.IsCompleted, "the call did not finish");
    }

    private sealed class StaticOptions(CredentialOptions value) : IOptionsMonitor<CredentialOptions>
    {
        public CredentialOptions CurrentValue => value;

        public CredentialOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<CredentialOptions, string?> listener) => null;
    }
}
