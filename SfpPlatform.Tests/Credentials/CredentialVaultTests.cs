using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Topology;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Credentials;

/// <summary>The pgcrypto vault against the stack's real Postgres, in a database of its own.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CredentialVaultTests(PlatformAppFixture platform) : IAsyncLifetime
{
    private const string KeyA = "key-a-0123456789abcdef0123456789abcdef";
    private const string KeyB = "key-b-fedcba9876543210fedcba9876543210";

    private readonly TestOptionsMonitor<CredentialOptions> _options = new(new CredentialOptions { ActiveKeyId = "a", Keys = { ["a"] = KeyA } });
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() =>
        _database = await TestDatabase.CreateAsync(await platform.App.GetConnectionStringAsync(ServiceNames.Postgres) ?? "");

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Secret_RoundTrips_AndTheTableHoldsOnlyCiphertext()
    {
        var secret = TestSecrets.Token();
        var id = await StoreAsync(secret);

        Assert.Equal(secret, await DecryptAsync(id));

        // No column of the row, as text, holds the secret; the ciphertext is pgcrypto's (not the UTF-8 bytes).
        Assert.Equal(0L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM integrations t WHERE t::text LIKE '%' || $1 || '%' OR position(convert_to($1, 'UTF8') in t.secret_ciphertext) > 0", secret));
        Assert.Equal("a", await _database.ScalarAsync<string>("SELECT key_id FROM integrations WHERE id = $1", id));
    }

    [Fact]
    public async Task Encrypting_TheSameSecretTwice_GivesDifferentCiphertext()
    {
        var secret = TestSecrets.Token();
        await using var db = _database.CreateContext();
        var vault = new CredentialVault(db, _options, NullLogger<CredentialVault>.Instance);

        var (first, _) = await vault.EncryptAsync(secret, TestContext.Current.CancellationToken);
        var (second, _) = await vault.EncryptAsync(secret, TestContext.Current.CancellationToken);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task WrongKey_FailsClosed_AndIsAudited()
    {
        var id = await StoreAsync(TestSecrets.Token());
        _options.Value = new CredentialOptions { ActiveKeyId = "a", Keys = { ["a"] = KeyB } };

        var error = await Assert.ThrowsAsync<CredentialKeyException>(() => DecryptAsync(id));

        Assert.Contains("wrong key", error.Message);
        Assert.Equal("wrong-key", await LastOutcomeAsync(id));
    }

    [Fact]
    public async Task MissingKey_FailsClosed_AndIsAudited()
    {
        var id = await StoreAsync(TestSecrets.Token());
        _options.Value = new CredentialOptions { ActiveKeyId = "b", Keys = { ["b"] = KeyB } };

        var error = await Assert.ThrowsAsync<CredentialKeyException>(() => DecryptAsync(id));

        Assert.Contains("'a', which is not configured", error.Message);
        Assert.Equal("missing-key", await LastOutcomeAsync(id));
    }

    [Fact]
    public async Task Rotation_ToANewKeyAndBack_KeepsEverySecretReadable()
    {
        var secrets = Enumerable.Range(0, 5).Select(_ => TestSecrets.Token()).ToList();
        var ids = new List<Guid>();
        foreach (var secret in secrets)
        {
            ids.Add(await StoreAsync(secret));
        }

        // Both keys configured, the new one active: old rows still read during the change-over.
        _options.Value = new CredentialOptions { ActiveKeyId = "b", Keys = { ["a"] = KeyA, ["b"] = KeyB } };
        Assert.Equal(secrets[0], await DecryptAsync(ids[0]));
        Assert.Equal(5, await RotateAsync());

        // The old key can go.
        _options.Value = new CredentialOptions { ActiveKeyId = "b", Keys = { ["b"] = KeyB } };
        for (var i = 0; i < ids.Count; i++)
        {
            Assert.Equal(secrets[i], await DecryptAsync(ids[i]));
        }

        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM integrations WHERE key_id <> 'b'"));
        Assert.Equal(5L, await _database.ScalarAsync<long>("SELECT count(*) FROM credential_audit WHERE purpose = 'key-rotation'"));

        _options.Value = new CredentialOptions { ActiveKeyId = "a", Keys = { ["a"] = KeyA, ["b"] = KeyB } };
        Assert.Equal(5, await RotateAsync());
        _options.Value = new CredentialOptions { ActiveKeyId = "a", Keys = { ["a"] = KeyA } };
        Assert.Equal(secrets[4], await DecryptAsync(ids[4]));
    }

    [Fact]
    public async Task Rotation_WithAKeyThatDoesNotFit_ChangesNothing()
    {
        var good = await StoreAsync(TestSecrets.Token());
        _options.Value = new CredentialOptions { ActiveKeyId = "c", Keys = { ["c"] = KeyB } };
        var other = await StoreAsync(TestSecrets.Token());
        var before = await _database.ScalarAsync<byte[]>("SELECT secret_ciphertext FROM integrations WHERE id = $1", good);

        // "c" is configured with the wrong material for its rows: the rotation to "a" must fail as a whole.
        _options.Value = new CredentialOptions { ActiveKeyId = "a", Keys = { ["a"] = KeyA, ["c"] = KeyA } };
        await Assert.ThrowsAsync<CredentialKeyException>(RotateAsync);

        Assert.Equal(before, await _database.ScalarAsync<byte[]>("SELECT secret_ciphertext FROM integrations WHERE id = $1", good));
        Assert.Equal("c", await _database.ScalarAsync<string>("SELECT key_id FROM integrations WHERE id = $1", other));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM credential_audit WHERE purpose = 'key-rotation'"));
    }

    [Fact]
    public async Task Decryption_IsAuditedWithPurposeAndCaller_AndNoSecret()
    {
        var secret = TestSecrets.Token();
        var id = await StoreAsync(secret);

        await DecryptAsync(id, "validate-workflow", "worker-7");

        Assert.Equal(1L, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM credential_audit WHERE integration_id = $1 AND purpose = 'validate-workflow' AND caller = 'worker-7' AND outcome = 'decrypted'", id));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM credential_audit t WHERE t::text LIKE '%' || $1 || '%'", secret));
        Assert.NotNull(await _database.ScalarAsync<DateTime?>("SELECT last_used_at FROM integrations WHERE id = $1", id));
    }

    [Fact]
    public async Task RotateCommand_ReEncryptsEverySecretUnderTheActiveKey()
    {
        var secrets = new[] { TestSecrets.Token(), TestSecrets.Token() };
        var ids = new List<Guid>();
        foreach (var secret in secrets)
        {
            ids.Add(await StoreAsync(secret));
        }

        var (exitCode, output, errors) = await TestProcess.RunAsync(
            "dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Api"), "rotate-credentials-key"],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__sfp"] = _database.ConnectionString,
                ["Credentials__ActiveKeyId"] = "b",
                ["Credentials__Keys__a"] = KeyA,
                ["Credentials__Keys__b"] = KeyB,
                ["Auth__JwtSecret"] = new string('j', 40),
                ["Logging__LogLevel__Default"] = "Warning",
            },
            TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, errors + output);
        Assert.Contains("Re-encrypted 2 secret(s) under the active key.", output);
        _options.Value = new CredentialOptions { ActiveKeyId = "b", Keys = { ["b"] = KeyB } };
        Assert.Equal(secrets[0], await DecryptAsync(ids[0]));
        Assert.Equal(secrets[1], await DecryptAsync(ids[1]));
        Assert.Empty(TestSecrets.FoundIn(output + errors));
    }

    private async Task<Guid> StoreAsync(string secret)
    {
        await using var db = _database.CreateContext();
        var vault = new CredentialVault(db, _options, NullLogger<CredentialVault>.Instance);
        var (ciphertext, keyId) = await vault.EncryptAsync(secret);
        var integration = new Integration
        {
            Id = Guid.CreateVersion7(),
            Kind = IntegrationKinds.GitHubPat,
            Name = "vault-" + Guid.NewGuid().ToString("n"),
            Settings = JsonDocument.Parse("{}"),
            SecretCiphertext = ciphertext,
            KeyId = keyId,
            SecretFingerprint = CredentialVault.Fingerprint(secret),
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        db.Integrations.Add(integration);
        await db.SaveChangesAsync();
        return integration.Id;
    }

    private async Task<string> DecryptAsync(Guid id, string purpose = "test", string caller = "tests")
    {
        await using var db = _database.CreateContext();
        return await new CredentialVault(db, _options, NullLogger<CredentialVault>.Instance).DecryptAsync(id, purpose, caller);
    }

    private async Task<int> RotateAsync()
    {
        await using var db = _database.CreateContext();
        return await new CredentialVault(db, _options, NullLogger<CredentialVault>.Instance).RotateToActiveKeyAsync("tests");
    }

    private Task<string?> LastOutcomeAsync(Guid id) =>
        _database.ScalarAsync<string>("SELECT outcome FROM credential_audit WHERE integration_id = $1 ORDER BY id DESC LIMIT 1", id);
}
