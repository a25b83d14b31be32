using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Retention;
using SfpPlatform.Core.Workflows.Runs;

// Intake latency during a large retention purge. Seeds N old deliveries (received 120 days ago, the real ~24 KB
// pull_request body each, cloned in SQL with generate_series from one delivery and its run sent through the edge) with a finished
// run each, its step attempts and log lines. Then two phases at the same fixed rate of signed deliveries through the
// edge (open loop, latency from the scheduled send time): without a purge, then while the platform's own
// RetentionPurge (what the `retention` sweep and `sfp-platform purge` run) deletes the seeded backlog. "Lost" counts
// deliveries answered 200 with no stored row.
// Usage: dotnet run -c Release --project bench/PurgeBench -- --db "Host=127.0.0.1;Port=55432;..." [--edge http://localhost:8080]
//        [--purge-rows 200000] [--rate 50] [--seconds 20] [--log-lines 10] [--batch-size 1000] [--batch-pause-ms 0]
// The connection string may also come from SFP_BENCH_DB.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Option(string name, string fallback) => options.GetValueOrDefault(name) ?? fallback;
int Number(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
var connectionString = Option("db", Environment.GetEnvironmentVariable("SFP_BENCH_DB") ?? "");
if (connectionString.Length == 0)
{
    Console.Error.WriteLine("Usage: PurgeBench --db <connection string> [--edge http://localhost:8080] [--purge-rows 200000] [--rate 50] [--seconds 20] [--log-lines 10] [--batch-size 1000] [--batch-pause-ms 0]");
    return 2;
}

var edge = new Uri(Option("edge", "http://localhost:8080"));
var rows = Number("purge-rows", 200_000);
var rate = Number("rate", 50);
var seconds = Number("seconds", 20);
var logLines = Number("log-lines", 10);
var retention = new RetentionOptions
{
    BatchSize = Number("batch-size", new RetentionOptions().BatchSize),
    BatchPause = TimeSpan.FromMilliseconds(Number("batch-pause-ms", (int)new RetentionOptions().BatchPause.TotalMilliseconds)),
};
var payloadPath = Option("payload", Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "SfpPlatform.Tests", "TestData", "github-webhooks", "pull_request", "opened.payload.json"));
var template = File.ReadAllText(payloadPath);
var runId = Guid.NewGuid().ToString("N")[..10];

await using var db = new NpgsqlConnection(connectionString);
await db.OpenAsync();
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false };
using var http = new HttpClient(handler) { BaseAddress = edge, Timeout = TimeSpan.FromSeconds(60) };
var intake = await SignedIntake.RegisterAsync(http);
var loadBefore = ProcessCpu.Load();

// One real delivery (and its run) through the edge: the row the seed clones, so every column is as the intake writes it.
var templateRepository = $"purge-bench/template-{runId}";
var first = await intake.SendAsync(SignedIntake.Body(template, templateRepository, 1), Stopwatch.GetTimestamp());
if (first.Status != HttpStatusCode.OK)
{
    throw new InvalidOperationException($"The template delivery answered {first.Status?.ToString() ?? first.Error}.");
}

var oldRepository = $"purge-bench/old-{runId}";
var seedWatch = Stopwatch.StartNew();
const int Chunk = 20_000;
for (var from = 1; from <= rows; from += Chunk)
{
    var to = Math.Min(rows, from + Chunk - 1);
    await ExecuteAsync($"""
        WITH seeded AS (
            INSERT INTO webhook_deliveries
            SELECT p.* FROM webhook_deliveries d, generate_series({from}, {to}) AS i,
                LATERAL jsonb_populate_record(d, jsonb_build_object(
                    'id', gen_random_uuid(), 'delivery_id', @prefix || i, 'repository', @repository,
                    'received_at', now() - interval '120 days' - i * interval '1 second')) AS p
            WHERE d.provider = 'github' AND d.delivery_id = @template
            RETURNING id, received_at)
        INSERT INTO workflow_runs
        SELECT p.* FROM seeded s, workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id AND d.provider = 'github' AND d.delivery_id = @template,
            LATERAL jsonb_populate_record(r, jsonb_build_object(
                'id', gen_random_uuid(), 'delivery_id', s.id, 'status', 'succeeded', 'idempotency_key', @prefix || s.id,
                'created_at', s.received_at, 'started_at', s.received_at, 'finished_at', s.received_at + interval '3 minutes',
                'updated_at', s.received_at + interval '3 minutes', 'next_attempt_at', s.received_at,
                'lease_owner', NULL, 'lease_expires_at', NULL, 'concurrency_key', NULL)) AS p
        """, ("template", first.DeliveryId), ("prefix", $"purge-bench-{runId}-"), ("repository", oldRepository));
    Console.Error.WriteLine($"seeded {to:N0} of {rows:N0} deliveries and runs ({seedWatch.Elapsed.TotalSeconds:0} s)");
}

// Each run's step attempts and log lines.
await ExecuteAsync("""
    INSERT INTO workflow_step_runs (run_id, step, attempt, status, started_at, finished_at, worker)
    SELECT r.id, s.step, 1, 'succeeded', r.started_at, r.finished_at, 'purge-bench'
    FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id, unnest(ARRAY['checkout', 'validate', 'report']) AS s(step)
    WHERE d.repository = @repository
    """, ("repository", oldRepository));
await ExecuteAsync($"""
    INSERT INTO workflow_logs (run_id, step, at, line)
    SELECT r.id, 'validate', r.started_at + g * interval '1 second', 'sfp validate: ' || g || ' ' || md5(r.id::text || g) || md5(g || r.id::text) || ' deployed and tested'
    FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id, generate_series(1, {logLines}) AS g
    WHERE d.repository = @repository
    """, ("repository", oldRepository));
await ExecuteAsync("ANALYZE webhook_deliveries; ANALYZE workflow_runs; ANALYZE workflow_step_runs; ANALYZE workflow_logs; CHECKPOINT");
var seeded = (long)(await ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE repository = @repository", ("repository", oldRepository)))!;
var bodyBytes = (int)(await ScalarAsync("SELECT octet_length(body) FROM webhook_deliveries WHERE delivery_id = @template", ("template", first.DeliveryId)))!;
Console.Error.WriteLine($"seeded {seeded:N0} deliveries ({bodyBytes:N0}-byte bodies), runs, {3 * seeded:N0} step attempts, {logLines * seeded:N0} log lines in {seedWatch.Elapsed.TotalSeconds:0} s");

Console.Error.WriteLine($"intake without a purge: {seconds} s at {rate}/s");
var quiet = await PhaseAsync("intake alone", () => Task.Delay(TimeSpan.FromSeconds(seconds)));

Console.Error.WriteLine($"intake during the purge (batches of {retention.BatchSize}, pause {retention.BatchPause.TotalMilliseconds:0} ms)");
PurgeResult? purged = null;
var purgeWatch = new Stopwatch();
var during = await PhaseAsync("intake during the purge", async () =>
{
    await using var context = new SfpDbContext(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql(connectionString).UseSfpConventions().Options);
    var purge = new RetentionPurge(context, new WorkflowRunStore(context, TimeProvider.System), TimeProvider.System);
    purgeWatch.Start();
    purged = await purge.PurgeAsync(retention, dryRun: false, progress: null, CancellationToken.None);
    purgeWatch.Stop();
});

var left = (long)(await ScalarAsync("SELECT count(*) FROM webhook_deliveries WHERE repository = @repository", ("repository", oldRepository)))!;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores shared by the generator, edge, Api, Workers and Postgres (and other work on the machine); load average before {loadBefore}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# seeded {seeded:N0} deliveries 120 days old ({bodyBytes:N0}-byte bodies) with a finished run each, 3 step attempts and {logLines} log lines per run; intake {rate}/s open loop; purge batches of {retention.BatchSize}, pause {retention.BatchPause.TotalMilliseconds:0} ms"));
Console.WriteLine();
Console.WriteLine("| phase | seconds | sent | 200 | non-200 | p50 ms | p90 ms | p99 ms | max ms | lost | runs purged | deliveries purged | purge s | load avg after |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (phase, result) in new[] { ("intake alone", quiet), ("intake during the purge", during) })
{
    var purgeColumns = phase == "intake alone" ? "— | — | —" : string.Create(CultureInfo.InvariantCulture, $"{purged!.Runs:N0} | {purged.Deliveries:N0} | {purgeWatch.Elapsed.TotalSeconds:0.0}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {phase} | {result.Seconds:0.0} | {result.Sent:N0} | {result.Ok:N0} | {result.Sent - result.Ok:N0} | {result.P50:0.0} | {result.P90:0.0} | {result.P99:0.0} | {result.Max:0.0} | {result.Lost:N0} | {purgeColumns} | {result.Load} |"));
}

Console.WriteLine();
Console.WriteLine($"seeded deliveries left after the purge: {left:N0}; non-200 answers: {string.Join(", ", quiet.Errors.Concat(during.Errors).GroupBy(e => e).Select(g => $"{g.Key} {g.Count()}"))}");
var failed = quiet.Lost + during.Lost > 0 || left > 0;
if (failed)
{
    Console.WriteLine($"FAILED: lost {quiet.Lost + during.Lost}, seeded deliveries left {left}");
}

return failed ? 1 : 0;

// Sends at `rate` per second (open loop) until `work` has finished, then waits for the answers.
async Task<PhaseResult> PhaseAsync(string name, Func<Task> work)
{
    var repository = $"purge-bench/{name.Replace(' ', '-')}-{runId}";
    var body = SignedIntake.Body(template, repository, 2);
    var sends = new List<Task<SignedIntake.Answer>>();
    var ticksPerRequest = (double)Stopwatch.Frequency / rate;
    var t0 = Stopwatch.GetTimestamp();
    var running = Task.Run(work);
    for (var i = 0; !running.IsCompleted; )
    {
        var now = Stopwatch.GetTimestamp();
        while (t0 + (long)(i * ticksPerRequest) <= now)
        {
            sends.Add(intake.SendAsync(body, t0 + (long)(i * ticksPerRequest)));
            i++;
        }

        await Task.Delay(1);
    }

    await running;
    var elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    var answers = await Task.WhenAll(sends);
    var ok = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
    var latencies = ok.Select(a => a.Milliseconds).Order().ToArray();
    var lost = (long)(await ScalarAsync(
        "SELECT count(*) FROM unnest(@ids::text[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.provider = 'github' AND d.delivery_id = a.id)",
        ("ids", ok.Select(a => a.DeliveryId).ToArray())))!;
    return new PhaseResult(elapsed, answers.Length, ok.Count, Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99),
        latencies.Length == 0 ? double.NaN : latencies[^1], lost, [.. answers.Where(a => a.Status != HttpStatusCode.OK).Select(a => a.Status?.ToString() ?? a.Error ?? "?")], ProcessCpu.Load());
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
{
    await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 0 };
    foreach (var (name, value) in parameters)
    {
        command.Parameters.AddWithValue(name, value);
    }

    await command.ExecuteNonQueryAsync();
}

async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
{
    await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = 0 };
    foreach (var (name, value) in parameters)
    {
        command.Parameters.AddWithValue(name, value);
    }

    return await command.ExecuteScalarAsync();
}

internal sealed record PhaseResult(double Seconds, int Sent, int Ok, double P50, double P90, double P99, double Max, long Lost, string[] Errors, string Load);
