using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The reliability and security figures the suite measures. A test records its row only after its assertions
/// passed, so a recorded row is a green one; a check of <see cref="Catalogue"/> that recorded nothing shows as not
/// passed. With <c>SFP_RELIABILITY_REPORT</c> set (see <c>./reliability.sh</c>) the report is written there once the
/// stack's tests have run.
/// </summary>
public static class ReliabilityReport
{
    public const string Faults = "Faults";
    public const string BadInput = "Bad input";
    public const string Secrets = "Secrets";
    public const string Access = "Access";
    public const string Urls = "User-supplied URLs";

    /// <summary>Issue 17 item 7: the workers' heartbeats and the Api's account of them and the queue.</summary>
    public const string WorkerHealth = "Worker health";

    /// <summary>Every check the report expects, by section, with what it claims.</summary>
    public static readonly IReadOnlyList<(string Section, string Check, string Claim)> Catalogue =
    [
        (Faults, "Postgres restarted during a webhook stream", "every 200 stored and run once; every refusal a 503, stored and run once when resent"),
        (Faults, "A worker process killed mid-step", "the run is taken over after its lease and completes once"),
        (Faults, "All workers down for 30 s while deliveries arrive", "every delivery acknowledged and stored; the backlog drains; each run executed once"),
        (Faults, "The Api restarted behind the edge", "503 with the maintenance page during the gap; no 200 without storage; resent deliveries stored once"),
        (Faults, "A Hatchet outage", "runs wait in the outbox and each runs once when Hatchet is back"),
        (Faults, "Comment commands and bursts for one pull request", "a `/sfp help` leaves the validation running; a burst for one pull request is acknowledged as fast as distinct ones and leaves one live validate run; closing cancels validate"),
        (Faults, "A PAT-only project", "reported with commit statuses and a comment; no check run (GitHub refuses them to a PAT)"),
        (Faults, "GitHub deliveries refused during an outage", "listed through GitHub's API and asked again once the database answers; each stored once, marked recovered, run once; a second pass asks nothing; none older than 3 days asked"),
        (Faults, "GitHub repository and organisation hook deliveries refused during an outage", "listed and redelivered with the project's token (a PAT), never the App's JWT; each stored once, marked recovered, run once; a token GitHub refuses (404) fails only its hook, named with the reason, and the pass answers 200"),
        (Faults, "Retries of unsafe requests", "an unsafe request is sent once unless marked idempotent; a 429 is waited out by one layer; a failure no retry mends fails the step at once"),
        (Faults, "Scheduled work", "each cron tick starts one run however many schedulers race for it; after downtime one run stands for every missed tick"),
        (Faults, "Expired review-environment leases", "released by the lease-expiry sweep in a scheduled run; the pull request is told once"),
        (Faults, "Retention", "finished runs' log lines and rows past their periods go, then delivery bodies in the rows kept (a delivery that goes is not first emptied); nothing younger is touched"),
        (Faults, WorkerHealth, "each Workers process writes a heartbeat the Api reports with the queue's depth and oldest age; with every worker down the Api reports no live heartbeat (a stalled engine loop failing readiness is tested on a fake clock in SfpPlatform.UnitTests)"),
        (BadInput, "GitHub webhook deliveries", "the documented 4xx (a problem body from the Api; the edge's own 413/431 empty, as Caddy's); nothing stored or run"),
        (BadInput, "Azure DevOps webhook deliveries", "the documented 4xx (a problem body from the Api; the edge's own 413 empty); nothing stored or run"),
        (BadInput, "Integrations, deliveries, runs and routing rules", "the documented 4xx (a problem body from the Api; the edge's own 413/431 empty); nothing written"),
        (BadInput, "SQL and script payloads in every string field", "refused, or stored verbatim as inert text; no table touched"),
        (BadInput, "Replayed (duplicate) deliveries", "acknowledged as duplicates; nothing added"),
        (BadInput, "Authentic deliveries Postgres cannot hold as text", "NUL, lone surrogates, deep nesting, huge numbers, duplicate keys, long strings: stored byte for byte, never a 500"),
        (Secrets, "Database dump, captured logs, traces and recorded responses", "no secret value the tests used appears"),
        (Access, "Role matrix of every Api endpoint", "each caller gets the documented status"),
        (Access, "Admin ports", "allowlisted clients served, others refused"),
        (Urls, "Loopback, link-local and private targets", "refused unless the operator's configuration allows the host"),
        (Urls, "Provider connections to internal addresses", "refused after DNS resolution, before connecting, unless the operator's configuration names the host"),
    ];

    private static readonly ConcurrentDictionary<(string Section, string Check), ConcurrentDictionary<string, long>> Rows = new();

    /// <summary>Adds figures to a check (counts are summed over the tests that record the same check).</summary>
    public static void Record(string section, string check, params (string Name, long Value)[] figures)
    {
        if (!Catalogue.Any(c => c.Section == section && c.Check == check))
        {
            throw new ArgumentException($"'{section} / {check}' is not in the report's catalogue.");
        }

        var row = Rows.GetOrAdd((section, check), _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
        foreach (var (name, value) in figures)
        {
            row.AddOrUpdate(name, value, (_, current) => current + value);
        }
    }

    /// <summary>Writes the report where <c>SFP_RELIABILITY_REPORT</c> says, if it says.</summary>
    public static void WriteIfRequested()
    {
        if (Environment.GetEnvironmentVariable("SFP_RELIABILITY_REPORT") is not { Length: > 0 } path)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append("# Reliability and security\n\n");
        text.Append("Generated by `./reliability.sh` (the whole test suite against the real stack, then this report) on ")
            .Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Append(". A row is green only if every test behind it passed; figures are summed over those tests.\n");
        foreach (var section in Catalogue.Select(c => c.Section).Distinct())
        {
            text.Append("\n## ").Append(section).Append("\n\n| check | claim | figures | result |\n|---|---|---|---|\n");
            foreach (var (_, check, claim) in Catalogue.Where(c => c.Section == section))
            {
                var figures = Rows.TryGetValue((section, check), out var row)
                    ? string.Join(", ", row.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}: {f.Value.ToString(CultureInfo.InvariantCulture)}"))
                    : "";
                text.Append(CultureInfo.InvariantCulture, $"| {check} | {claim} | {figures} | {(row is null ? "❌ not passed" : "✅ passed")} |\n");
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString());
    }
}
