using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The provider layer as a host wires it (AddProviders), over a database of its own on the stack's Postgres, with a
/// fake clock and every log line captured.
/// </summary>
public sealed class ProviderTestContext : IAsyncDisposable
{
    private ProviderTestContext(TestDatabase database, ServiceProvider services, FakeTimeProvider time, ConcurrentQueue<string> logs)
    {
        Database = database;
        Services = services;
        Time = time;
        Logs = logs;
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public ConcurrentQueue<string> Logs { get; }

    public static async Task<ProviderTestContext> CreateAsync(PlatformAppFixture platform)
    {
        var database = await TestDatabase.CreateAsync(await platform.App.GetConnectionStringAsync(SfpPlatform.Topology.ServiceNames.Postgres) ?? "");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(new CapturingLoggerProvider(logs)));
        services.AddSingleton<TimeProvider>(time);
        services.AddDbContext<SfpDbContext>(o => o.UseNpgsql(database.ConnectionString).UseSfpConventions());
        services.AddSingleton<IOptionsMonitor<CredentialOptions>>(
            new TestOptionsMonitor<CredentialOptions>(new CredentialOptions { ActiveKeyId = "k", Keys = { ["k"] = new string('k', 40) } }));
        services.AddScoped<CredentialVault>();
        // The URL allowlist as an operator's configuration sets it: nothing internal, until a test names its stand-in.
        var integrations = new TestOptionsMonitor<IntegrationOptions>(new IntegrationOptions());
        services.AddSingleton<IOptionsMonitor<IntegrationOptions>>(integrations);
        services.AddProviders();
        return new ProviderTestContext(database, services.BuildServiceProvider(), time, logs) { Integrations = integrations.Value };
    }

    /// <summary>The provider layer's URL allowlist (<c>Integrations:AllowedUrls</c>).</summary>
    public IntegrationOptions Integrations { get; private init; } = null!;

    /// <summary>Allows connections to a loopback stand-in, as an operator names an internal host in configuration.</summary>
    public void AllowStandIn(Uri baseUrl) =>
        Integrations.AllowedUrls["StandIns"] = [.. Integrations.AllowedUrls.GetValueOrDefault("StandIns", []), baseUrl.GetLeftPart(UriPartial.Authority)];

    /// <summary>Registers an integration as the Api would store it (encrypted through the vault).</summary>
    public async Task<Guid> RegisterAsync(string kind, string? projectKey, string settingsJson, string secret)
    {
        await using var scope = Services.CreateAsyncScope();
        var (ciphertext, keyId) = await scope.ServiceProvider.GetRequiredService<CredentialVault>().EncryptAsync(secret);
        var integration = new Integration
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Name = $"{kind}-{Guid.NewGuid():n}",
            ProjectKey = projectKey,
            Settings = JsonDocument.Parse(settingsJson),
            SecretCiphertext = ciphertext,
            KeyId = keyId,
            SecretFingerprint = CredentialVault.Fingerprint(secret),
            CreatedAt = Time.GetUtcNow(),
            UpdatedAt = Time.GetUtcNow(),
        };
        var db = scope.ServiceProvider.GetRequiredService<SfpDbContext>();
        db.Integrations.Add(integration);
        await db.SaveChangesAsync();
        return integration.Id;
    }

    /// <summary>Runs <paramref name="use"/> with a scoped service, as one request or workflow step would.</summary>
    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> use) where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
