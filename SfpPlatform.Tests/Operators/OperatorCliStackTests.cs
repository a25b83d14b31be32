using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Integrations;
using SfpPlatform.Tests.Webhooks;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Operators;

/// <summary>
/// <c>sfp-platform</c> against the running stack: replay a range of deliveries, cancel a run and follow its log through
/// the Api with an owner's token — each recorded in the audit trail with its actor — and rotate the credential key and
/// purge by retention on a database of its own.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OperatorCliStackTests(PlatformAppFixture platform)
{
    private const string KeyA = "key-a-0123456789abcdef0123456789abcdef";
    private const string KeyB = "key-b-fedcba9876543210fedcba9876543210";

    private readonly WebhookTestClient _webhooks = new(platform);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private async Task<Dictionary<string, string?>> OwnerEnvironmentAsync() => new()
    {
        ["SFP_API_URL"] = platform.EdgeUri.AbsoluteUri,
        ["SFP_TOKEN"] = PlatformTokens.Create(await platform.JwtSecretAsync(), "owner"),
    };

    [Fact]
    public async Task ReplayCancelAndFollow_ThroughTheApi_AreInTheAuditTrailWithTheirActor()
    {
        // A validation that takes a while (the org stand-in waits), so the replay's run is still going when cancelled.
        var project = "cli-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"ops-{Guid.NewGuid().ToString("n")[..6]}/cli";
        var hook = await _webhooks.RegisterSlowValidationAsync(project, repository, seconds: 60);
        var (delivered, _) = await _webhooks.OpenPullRequestAsync(hook, repository);
        var deliveryId = delivered.Text("id")!;
        var environment = await OwnerEnvironmentAsync();

        var replay = await OperatorCli.RunAsync(environment, "deliveries", "replay", "--since", "10m", "--repository", repository);
        Assert.True(replay.ExitCode == 0, replay.Error + replay.Output);
        Assert.Contains("replayed 1, skipped 0", replay.Error, StringComparison.Ordinal);
        var runId = System.Text.RegularExpressions.Regex.Match(replay.Output, "run ([0-9a-f-]{36}) \\(validate\\)").Groups[1].Value;
        Assert.True(Guid.TryParse(runId, out _), replay.Output);

        // Follow the replay's log while it runs; cancel it; the follow ends with the run, non-zero (it did not succeed).
        var follow = OperatorCli.RunAsync(environment, "runs", "logs", runId, "--follow");
        await WaitForLogLineAsync(Guid.Parse(runId));
        var cancel = await OperatorCli.RunAsync(environment, "runs", "cancel", runId);
        Assert.True(cancel.ExitCode == 0, cancel.Error + cancel.Output);
        Assert.Contains($"run {runId} (validate)", cancel.Output, StringComparison.Ordinal);
        var followed = await follow.WaitAsync(TimeSpan.FromMinutes(2), Cancellation);
        Assert.Contains("[validate]", followed.Output, StringComparison.Ordinal);
        Assert.Contains("ended cancelled", OperatorCli.AssertFailsWithOneLine(followed), StringComparison.Ordinal);

        // Cancelling again: the run has ended, one line says so.
        Assert.Contains("finished", OperatorCli.AssertFailsWithOneLine(await OperatorCli.RunAsync(environment, "runs", "cancel", runId)), StringComparison.Ordinal);

        using var owner = await _webhooks.OwnerAsync();
        var replayed = await AuditAsync(owner, $"target=delivery:{deliveryId}&action=delivery.replayed");
        Assert.Equal("owner@example.com", replayed["actor"]!.GetValue<string>());
        Assert.Equal("owner", replayed["actorRole"]!.GetValue<string>());
        Assert.Contains(runId, replayed["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var cancelled = await AuditAsync(owner, $"target=run:{runId}&action=run.cancelled&outcome=succeeded");
        Assert.Equal("owner@example.com", cancelled["actor"]!.GetValue<string>());
        var refused = await AuditAsync(owner, $"target=run:{runId}&action=run.cancelled&outcome=refused");
        Assert.Equal("owner@example.com", refused["actor"]!.GetValue<string>());

        // The export has the same entries: CSV with a header, JSON as the list's records.
        var csv = await owner.GetStringAsync($"/sfp/api/audit/export?format=csv&target=run:{runId}", Cancellation);
        RecordedResponses.Add(csv);
        Assert.StartsWith("source,id,at,actor,actor_role,action,target,outcome,detail\r\n", csv, StringComparison.Ordinal);
        Assert.Contains($"\"owner@example.com\",\"owner\",\"run.cancelled\",\"run:{runId}\",\"succeeded\"", csv, StringComparison.Ordinal);
        var json = JsonNode.Parse(await owner.GetStringAsync($"/sfp/api/audit/export?format=json&target=run:{runId}", Cancellation))!.AsArray();
        Assert.Equal(2, json.Count);
    }

    [Fact]
    public async Task IntegrationChanges_AreAudited_WithTheFingerprintNeverTheSecret()
    {
        using var owner = await _webhooks.OwnerAsync();
        var first = TestSecrets.Token("ghp_");
        using var created = await owner.PostAsJsonAsync("/sfp/api/integrations",
            new { kind = "github-pat", name = "audit-" + Guid.NewGuid().ToString("n")[..8], settings = new { }, secret = first }, Cancellation);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync(Cancellation))!["id"]!.GetValue<string>();
        var second = TestSecrets.Token("ghp_");
        using var rotated = await owner.PostAsJsonAsync($"/sfp/api/integrations/{id}/rotate", new { secret = second }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        using var deleted = await owner.DeleteAsync($"/sfp/api/integrations/{id}", Cancellation);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var page = JsonNode.Parse(await owner.GetStringAsync($"/sfp/api/audit?target=integration:{id}", Cancellation))!;
        RecordedResponses.Add(page.ToJsonString());
        var actions = page["data"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).ToList();
        Assert.Equal(["integration.deleted", "integration.rotated", "integration.created"], actions);
        var rotation = page["data"]![1]!;
        Assert.Contains("fingerprint sha256:", rotation["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(TestSecrets.FoundIn(page.ToJsonString()));
        // The end-of-run secret scan dumps the whole database: the audit table is in it.
        Assert.Contains("COPY public.audit_entries", await platform.DatabaseDumpAsync(), StringComparison.Ordinal);

        // Filters are checked: an action the trail does not have is a 400 naming it.
        using var bad = await owner.GetAsync("/sfp/api/audit?action=integration.exploded", Cancellation);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("integration.exploded", await bad.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateKey_DryRunChangesNothing_ThenRotates_AndPurge_DeletesOnlyWhatRetentionNoLongerKeeps()
    {
        await using var database = await TestDatabase.CreateAsync(await platform.App.GetConnectionStringAsync(ServiceNames.Postgres, Cancellation) ?? "");
        var vault = new SfpPlatform.Core.Credentials.CredentialVault(database.CreateContext(),
            new TestOptionsMonitor<SfpPlatform.Core.Credentials.CredentialOptions>(new() { ActiveKeyId = "a", Keys = { ["a"] = KeyA } }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SfpPlatform.Core.Credentials.CredentialVault>.Instance);
        var (ciphertext, _) = await vault.EncryptAsync(TestSecrets.Token(), Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO integrations (id, kind, name, settings, secret_ciphertext, key_id, secret_fingerprint, created_at, updated_at)
            VALUES (gen_random_uuid(), 'github-pat', 'rotate-me', '{}', $1, 'a', 'sha256:0', now(), now())
            """, [ciphertext], Cancellation);
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__sfp"] = database.ConnectionString,
            ["Credentials__ActiveKeyId"] = "b",
            ["Credentials__Keys__a"] = KeyA,
            ["Credentials__Keys__b"] = KeyB,
        };

        var dry = await OperatorCli.RunAsync(environment, "credentials", "rotate-key", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Error + dry.Output);
        Assert.Contains("Would re-encrypt 1 secret(s) under key 'b'", dry.Output, StringComparison.Ordinal);
        Assert.Equal("a", await database.ScalarAsync<string>("SELECT key_id FROM integrations WHERE name = 'rotate-me'"));

        var wrongKey = await OperatorCli.RunAsync(new Dictionary<string, string?>(environment) { ["Credentials__Keys__a"] = KeyB }, "credentials", "rotate-key");
        Assert.Contains("does not decrypt", OperatorCli.AssertFailsWithOneLine(wrongKey), StringComparison.Ordinal);

        var real = await OperatorCli.RunAsync(environment, "credentials", "rotate-key");
        Assert.True(real.ExitCode == 0, real.Error + real.Output);
        Assert.Equal("b", await database.ScalarAsync<string>("SELECT key_id FROM integrations WHERE name = 'rotate-me'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE action = 'credentials.key-rotated' AND actor_role = 'operator'"));
        Assert.Empty(TestSecrets.FoundIn(dry.Output + dry.Error + real.Output + real.Error));

        // Retention: an audit entry and a delivery older than their periods go, recent ones stay; a delivery past the
        // bodies' period (30 days) but not the deliveries' (90) keeps its row and loses its body; a finished run keeps
        // its row and loses its log lines past the logs' period (30 days). Each row gets one statement: a delivery past
        // both periods is deleted, not first emptied (counted once, as deleted), also when its finished run goes first
        // (the dry run counts it too); one a running run still points to stays and only loses its body, and so does one
        // whose finished run a running replay (of the run, not of the delivery) still points to: the replay keeps that run.
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO audit_entries (at, actor, action, target, outcome) VALUES
                (now() - interval '500 days', 'old', 'run.cancelled', 'run:x', 'succeeded'),
                (now() - interval '1 day', 'recent', 'run.cancelled', 'run:y', 'succeeded')
            """, [], Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO webhook_deliveries (id, provider, delivery_id, event, received_at, headers, body, status, reason)
            VALUES (gen_random_uuid(), 'github', 'old-' || gen_random_uuid(), 'push', now() - interval '200 days', '{}', '\x7b7d', 'ignored', 'old'),
                   (gen_random_uuid(), 'github', 'new-' || gen_random_uuid(), 'push', now() - interval '2 days', '{}', '\x7b7d', 'ignored', 'new'),
                   (gen_random_uuid(), 'github', 'mid-' || gen_random_uuid(), 'push', now() - interval '45 days', '{}', '\x7b7d', 'ignored', 'mid')
            """, [], Cancellation);
        var (ranDelivery, heldDelivery, replayedDelivery) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        var (ran, held, replayed, replay) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO webhook_deliveries (id, provider, delivery_id, event, received_at, headers, body, status, reason)
            VALUES ($1, 'github', 'ran-' || gen_random_uuid(), 'push', now() - interval '200 days', '{}', '\x7b7d', 'routed', 'ran'),
                   ($2, 'github', 'held-' || gen_random_uuid(), 'push', now() - interval '200 days', '{}', '\x7b7d', 'routed', 'held'),
                   ($3, 'github', 'replayed-' || gen_random_uuid(), 'push', now() - interval '200 days', '{}', '\x7b7d', 'routed', 'replayed')
            """, [ranDelivery, heldDelivery, replayedDelivery], Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO workflow_runs (id, workflow, status, input, created_at, updated_at, next_attempt_at, attempt, cancel_requested, finished_at, delivery_id, replay_of_run_id)
            VALUES ($1, 'build', 'succeeded', '{}', now() - interval '200 days', now() - interval '200 days', now() - interval '200 days', 1, false, now() - interval '200 days', $2, NULL),
                   ($3, 'build', 'running', '{}', now() - interval '200 days', now() - interval '200 days', now() - interval '200 days', 1, false, NULL, $4, NULL),
                   ($5, 'build', 'failed', '{}', now() - interval '200 days', now() - interval '200 days', now() - interval '200 days', 1, false, now() - interval '200 days', $6, NULL)
            """, [ran, ranDelivery, held, heldDelivery, replayed, replayedDelivery], Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO workflow_runs (id, workflow, status, input, created_at, updated_at, next_attempt_at, attempt, cancel_requested, finished_at, delivery_id, replay_of_run_id)
            VALUES ($1, 'build', 'running', '{}', now() - interval '1 day', now() - interval '1 day', now() - interval '1 day', 1, false, NULL, NULL, $2)
            """, [replay, replayed], Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString,
            "INSERT INTO workflow_logs (run_id, step, at, line) VALUES ($1, 'build', now() - interval '200 days', 'gone with its run')", [ran], Cancellation);
        var run = Guid.CreateVersion7();
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO workflow_runs (id, workflow, status, input, created_at, updated_at, next_attempt_at, attempt, cancel_requested, finished_at)
            VALUES ($1, 'build', 'succeeded', '{}', now() - interval '45 days', now() - interval '45 days', now() - interval '45 days', 1, false, now() - interval '45 days')
            """, [run], Cancellation);
        await Sql.ScalarAsync<object>(database.ConnectionString, """
            INSERT INTO workflow_logs (run_id, step, at, line) VALUES ($1, 'build', now() - interval '45 days', 'old'), ($1, 'build', now() - interval '45 days', 'older')
            """, [run], Cancellation);

        var dryPurge = await OperatorCli.RunAsync(environment, "purge", "--dry-run");
        Assert.True(dryPurge.ExitCode == 0, dryPurge.Error + dryPurge.Output);
        Assert.Contains("Would delete 3 delivery body(ies) emptied, 3 log line(s), 1 run(s), 2 delivery(ies), 1 audit entry(ies)", dryPurge.Output, StringComparison.Ordinal);
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_logs WHERE run_id = $1", run));
        var purge = await OperatorCli.RunAsync(environment, "purge");
        Assert.True(purge.ExitCode == 0, purge.Error + purge.Output);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE actor = 'old'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE actor = 'recent'"));
        Assert.Equal(["held:0", "mid:0", "new:2", "replayed:0"], (await database.ScalarAsync<string>(
            "SELECT string_agg(reason || ':' || octet_length(body), ',' ORDER BY reason) FROM webhook_deliveries"))!.Split(','));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_logs WHERE run_id = $1", run));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE id = $1", run));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE id = $1", ran));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE id = $1", held));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM workflow_runs WHERE id = $1", replayed));
        Assert.Contains("Deleted 3 delivery body(ies) emptied, 3 log line(s), 1 run(s), 2 delivery(ies), 1 audit entry(ies)", purge.Output, StringComparison.Ordinal);
        ReliabilityReport.Record(ReliabilityReport.Faults, "Retention",
            ("bodies emptied", 3), ("log lines deleted", 3), ("rows deleted", 4), ("younger rows kept", 3), ("rows a running run holds", 5));

        var tooShort = await OperatorCli.RunAsync(new Dictionary<string, string?>(environment) { ["Retention__Audit"] = "00:10:00" }, "purge");
        Assert.Contains("Retention:Audit is 00:10:00", OperatorCli.AssertFailsWithOneLine(tooShort), StringComparison.Ordinal);
    }

    private async Task WaitForLogLineAsync(Guid runId)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (await _webhooks.ScalarAsync<long>("SELECT count(*) FROM workflow_logs WHERE run_id = $1", runId) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"run {runId} wrote no log line within a minute");
            await Task.Delay(200, Cancellation);
        }
    }

    private static async Task<JsonNode> AuditAsync(HttpClient owner, string query)
    {
        var text = await owner.GetStringAsync($"/sfp/api/audit?{query}", Cancellation);
        RecordedResponses.Add(text);
        return Assert.Single(JsonNode.Parse(text)!["data"]!.AsArray())!;
    }
}
