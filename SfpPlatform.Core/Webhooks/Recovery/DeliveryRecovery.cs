using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Telemetry;
using SfpPlatform.Core.Webhooks.Headers;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// GitHub never redelivers a failed delivery by itself. This sweep lists the recent deliveries of every registered
/// GitHub App's hook (with the app JWT) and of the repository and organisation hooks the platform has heard from
/// (with an installation token or PAT), and asks GitHub to send again each one that failed and that the platform has
/// not stored (<see cref="RedeliveryPlan"/>). The redelivery carries the original <c>X-GitHub-Delivery</c>, so the
/// intake stores it once (its unique delivery id) and marks it recovered. A pass pages only down to where the last
/// one settled everything (<see cref="GitHubDeliveryCursor"/>) and holds each hook alone, so it is cheap and safe in
/// any number of processes.
/// </summary>
public sealed partial class DeliveryRecovery(
    IServiceScopeFactory scopes, TimeProvider time, ILogger<DeliveryRecovery> logger) : IPlatformSweep
{
    public const string SweepName = "delivery-recovery";

    /// <summary>GitHub redelivers only deliveries of the last 3 days.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(3);

    /// <summary>A delivery asked for this recently is not asked again (GitHub may not have sent it yet).</summary>
    public static readonly TimeSpan AskedRecently = TimeSpan.FromMinutes(2);

    /// <summary>How long a pass holds a hook; a crashed pass frees it then.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>A delivery whose redeliveries keep failing is asked this many times, then left (and logged).</summary>
    public const int MaxAttempts = 5;

    /// <summary>Who the credential audit names for the decryptions a pass makes.</summary>
    public const string Caller = "delivery-recovery";

    public string Name => SweepName;

    /// <summary>Every 10 minutes: well inside GitHub's 3-day window, and a pass with nothing new is one list call per hook.</summary>
    public string DefaultCron => "*/10 * * * *";

    public async Task<string> RunAsync(CancellationToken cancellationToken) => (await RecoverAsync(cancellationToken)).Summary;

    /// <summary>One pass over every hook; a hook that fails is counted and logged, the others go on.</summary>
    public async Task<DeliveryRecoveryReport> RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<SfpDbContext>();
        var client = services.GetRequiredService<GitHubHookDeliveriesClient>();
        var (hooks, failures) = await HooksAsync(services, cancellationToken);
        var askedThisPass = new HashSet<string>(StringComparer.Ordinal);
        var total = new HookResult(0, 0, 0, 0, 0);
        var (listedHooks, skipped) = (0, failures.Count);
        foreach (var hook in hooks)
        {
            try
            {
                if (await RecoverHookAsync(db, client, hook, askedThisPass, cancellationToken) is { } result)
                {
                    listedHooks++;
                    total = total.Add(result);
                }
                else
                {
                    skipped++;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && !IsDatabaseDown(e))
            {
                skipped++;
                failures.Add(new DeliveryRecoveryHookFailure(hook.Key, (int?)(e as HttpRequestException)?.StatusCode, e.Message));
                Log.HookFailed(logger, hook.Key, e);
            }
        }

        var summary = $"{SweepName}: {listedHooks} hook(s) listed, {skipped} skipped ({failures.Count} failed); {total.Listed} delivery attempt(s) read; " +
            $"{total.Requested} redelivery(ies) asked, {total.Refused} refused by GitHub, {total.Failed} failed, {total.Expired} past the 3-day window";
        Log.Pass(logger, summary);
        return new DeliveryRecoveryReport(
            listedHooks, skipped, total.Listed, total.Requested, total.Refused, total.Failed, total.Expired, summary, failures);
    }

    /// <summary>
    /// The database is down: the pass stops (the caller answers 503). Anything else — GitHub unreachable, a refused
    /// connection, a timeout of the provider call — is that hook's failure: counted, logged, and the other hooks go on.
    /// </summary>
    private static bool IsDatabaseDown(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException)
            {
                return DatabaseErrors.IsUnavailable(exception);
            }
        }

        return false;
    }

    /// <summary>One hook; null when another pass holds it.</summary>
    private async Task<HookResult?> RecoverHookAsync(
        SfpDbContext db, GitHubHookDeliveriesClient client, RecoverableHook hook, HashSet<string> askedThisPass, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO github_delivery_cursors (hook, checked_through_id) VALUES ({hook.Key}, 0) ON CONFLICT (hook) DO NOTHING", cancellationToken);
        var claimed = await db.GitHubDeliveryCursors
            .Where(c => c.Hook == hook.Key && (c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseUntil, now + Lease), cancellationToken);
        if (claimed == 0)
        {
            return null;
        }

        var checkedThrough = 0L;
        try
        {
            checkedThrough = await db.GitHubDeliveryCursors.Where(c => c.Hook == hook.Key).Select(c => c.CheckedThroughId).SingleAsync(cancellationToken);
            var listed = await ListNewAsync(client, hook, checkedThrough, now, cancellationToken);
            var guids = listed.Select(d => d.Guid).Distinct().ToList();
            var stored = (await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Provider == WebhookProviders.GitHub && guids.Contains(d.DeliveryId))
                .Select(d => d.DeliveryId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var requests = await db.GitHubRedeliveryRequests.AsNoTracking()
                .Where(r => guids.Contains(r.DeliveryGuid))
                .ToDictionaryAsync(r => r.DeliveryGuid, r => (r.LastRequestedAt, r.Attempts), StringComparer.Ordinal, cancellationToken);
            var plan = RedeliveryPlan.Select(listed, stored, requests, now, checkedThrough);

            var (requested, refused, failed) = (0, 0, 0);
            foreach (var delivery in plan.Ask.Where(d => askedThisPass.Add(d.Guid)))
            {
                // Recorded before asking: GitHub may redeliver before its 202 reaches us, and the intake marks the
                // delivery recovered by this row.
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO github_redelivery_requests (delivery_guid, hook, attempt_id, first_requested_at, last_requested_at, attempts)
                    VALUES ({delivery.Guid}, {hook.Key}, {delivery.Id}, {now}, {now}, 1)
                    ON CONFLICT (delivery_guid) DO UPDATE SET attempt_id = EXCLUDED.attempt_id,
                        last_requested_at = EXCLUDED.last_requested_at, attempts = github_redelivery_requests.attempts + 1
                    """, cancellationToken);
                var answer = await client.RedeliverAsync(hook, delivery.Id, cancellationToken);
                PlatformMetrics.RecordRedeliveryRecovery(WebhookProviders.GitHub, answer switch
                {
                    RedeliveryAnswer.Accepted => "requested",
                    RedeliveryAnswer.Refused => "refused",
                    _ => "failed",
                });
                Log.Asked(logger, delivery.Guid, delivery.Id, delivery.StatusCode, hook.Key, answer);
                _ = answer switch
                {
                    RedeliveryAnswer.Accepted => requested++,
                    RedeliveryAnswer.Refused => refused++,
                    _ => failed++,
                };
            }

            for (var i = 0; i < plan.Expired; i++)
            {
                PlatformMetrics.RecordRedeliveryRecovery(WebhookProviders.GitHub, "expired");
            }

            checkedThrough = plan.CheckedThroughId;
            return new HookResult(listed.Count, requested, refused, failed, plan.Expired);
        }
        finally
        {
            // Release the hook even when the pass is cancelled or GitHub failed: the next pass starts from here.
            var released = time.GetUtcNow();
            await db.GitHubDeliveryCursors.Where(c => c.Hook == hook.Key).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.CheckedThroughId, checkedThrough)
                .SetProperty(c => c.CheckedAt, released)
                .SetProperty(c => c.LeaseUntil, (DateTimeOffset?)null), CancellationToken.None);
        }
    }

    /// <summary>
    /// The hook's attempts newer than <paramref name="checkedThrough"/>, newest first, page after page until a page
    /// reaches what the last pass settled or GitHub's window (that page's older items are kept: they count as expired).
    /// </summary>
    private static async Task<List<GitHubHookDelivery>> ListNewAsync(
        GitHubHookDeliveriesClient client, RecoverableHook hook, long checkedThrough, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var listed = new List<GitHubHookDelivery>();
        Uri? next = null;
        do
        {
            (var page, next) = await client.ListAsync(hook, next, cancellationToken);
            listed.AddRange(page.Where(d => d.Id > checkedThrough));
            if (page.Count == 0 || page.Any(d => d.Id <= checkedThrough || d.DeliveredAt < now - Window))
            {
                break;
            }
        }
        while (next is not null);

        return listed;
    }

    /// <summary>
    /// Every GitHub App's hook (one per app and host, however many integrations name it), and each repository or
    /// organisation hook that sent a delivery in the window (its <c>X-GitHub-Hook-ID</c>), reached with the token the
    /// provider layer resolves for a repository of it. Also the hooks no credential reaches, as failures.
    /// </summary>
    private async Task<(List<RecoverableHook> Hooks, List<DeliveryRecoveryHookFailure> Failures)> HooksAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<SfpDbContext>();
        var credentials = services.GetRequiredService<ProviderCredentials>();
        var hooks = new Dictionary<string, RecoverableHook>(StringComparer.Ordinal);
        foreach (var app in await db.Integrations.AsNoTracking().Where(i => i.Kind == IntegrationKinds.GitHubApp).OrderBy(i => i.CreatedAt).ToListAsync(cancellationToken))
        {
            var settings = app.Settings.RootElement;
            var issuer = GitHubAppJwt.Issuer(settings.GetProperty("appId").GetInt64(),
                settings.TryGetProperty("clientId", out var clientId) && clientId.ValueKind == JsonValueKind.String ? clientId.GetString() : null);
            var baseUrl = settings.TryGetProperty("baseUrl", out var b) && b.ValueKind == JsonValueKind.String ? new Uri(b.GetString()!) : null;
            var apiBase = GitHubInstallationTokens.ApiBase(baseUrl);
            var key = RecoverableHook.KeyOf(apiBase, RecoverableHook.AppHookPath, issuer);
            // One JWT (valid 9 minutes) per pass: the key is decrypted, and audited, once per hook and pass, not per call.
            var privateKey = credentials.SecretSource(app, Caller, Caller);
            Task<string>? jwt = null;
            hooks.TryAdd(key, new RecoverableHook(key, apiBase, RecoverableHook.AppHookPath,
                ct => jwt ??= Task.Run(async () => GitHubAppJwt.Create(issuer, await privateKey(ct), time.GetUtcNow()), ct)));
        }

        var failures = new List<DeliveryRecoveryHookFailure>();
        var clients = services.GetRequiredService<GitHubClients>();
        var since = time.GetUtcNow() - Window;
        var seen = await db.Database.SqlQuery<SeenHook>($"""
            SELECT DISTINCT ON (hook_id)
                   headers->>{GitHubDeliveryHeaders.HookIdHeader} AS hook_id,
                   headers->>{GitHubDeliveryHeaders.TargetTypeHeader} AS target_type,
                   repository, organization, project_key
            FROM webhook_deliveries
            WHERE provider = {WebhookProviders.GitHub} AND received_at > {since} AND repository IS NOT NULL
              AND headers->>{GitHubDeliveryHeaders.HookIdHeader} IS NOT NULL
              AND headers->>{GitHubDeliveryHeaders.TargetTypeHeader} IN ('repository', 'organization')
            ORDER BY hook_id, received_at DESC
            """).ToListAsync(cancellationToken);
        foreach (var hook in seen)
        {
            if (!long.TryParse(hook.HookId, System.Globalization.CultureInfo.InvariantCulture, out var hookId)
                || hook.Repository!.Split('/') is not [var owner, var name]
                || (hook.TargetType == "organization" && hook.Organization is null))
            {
                continue;
            }

            var path = hook.TargetType == "organization" ? $"orgs/{hook.Organization}/hooks/{hookId}" : $"repos/{owner}/{name}/hooks/{hookId}";
            try
            {
                var connection = await clients.ForRepositoryAsync(owner, name, hook.ProjectKey, Caller, cancellationToken);
                var key = RecoverableHook.KeyOf(connection.ApiBase, path);
                var token = connection.Token.Value;
                hooks.TryAdd(key, new RecoverableHook(key, connection.ApiBase, path, _ => Task.FromResult(token)));
            }
            catch (Exception e) when (e is ProviderCredentialMissingException or Octokit.ApiException or HttpRequestException)
            {
                failures.Add(new DeliveryRecoveryHookFailure(path, (int?)(e as HttpRequestException)?.StatusCode,
                    $"No token reaches {path} (project {hook.ProjectKey ?? "(none)"}): {e.Message}"));
                Log.NoToken(logger, hook.TargetType, hookId, e.Message);
            }
        }

        return ([.. hooks.Values], failures);
    }

    /// <summary>A repository or organisation hook seen in the stored deliveries (columns aliased in snake case).</summary>
    internal sealed record SeenHook(string HookId, string TargetType, string? Repository, string? Organization, string? ProjectKey);

    private sealed record HookResult(int Listed, int Requested, int Refused, int Failed, int Expired)
    {
        public HookResult Add(HookResult other) => new(
            Listed + other.Listed, Requested + other.Requested, Refused + other.Refused, Failed + other.Failed, Expired + other.Expired);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Summary}")]
        public static partial void Pass(ILogger logger, string summary);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information,
            Message = "Asked GitHub to redeliver {Guid} (attempt {DeliveryId}, answered {StatusCode} before) on {Hook}: {Answer}")]
        public static partial void Asked(ILogger logger, string guid, long deliveryId, int statusCode, string hook, RedeliveryAnswer answer);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Delivery recovery could not go through hook {Hook}")]
        public static partial void HookFailed(ILogger logger, string hook, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Delivery recovery cannot list the {TargetType} hook {HookId}: {Reason}")]
        public static partial void NoToken(ILogger logger, string targetType, long hookId, string reason);
    }
}
