using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

// Webhook intake benchmark: signed GitHub pull_request deliveries through the edge to the receiver, which answers
// 200 only after the delivery row and its workflow run row are committed. Open-loop fixed rates (request i is sent
// at t0 + i/rate whatever the server does, and its latency is measured from that scheduled time, so a slow server
// shows up as latency rather than as fewer requests), then a closed-loop saturation phase. Each phase uses its own
// repository name, so its deliveries and runs are counted in the database afterwards; "lost" is the number of
// delivery ids answered 200 that have no stored row (and every "routed" answer must have its run).
// Each delivery is a distinct pull request (its number differs, so no two share a concurrency group), except in the
// same-key burst. In the same run, pgbench's rate of the intake's own transaction on the same Postgres — a delivery
// row with the same body plus a run row, committed together — is the ceiling; CPU per component comes from /proc.
// Usage: dotnet run -c Release --project bench/WebhookBench -- --db "Host=127.0.0.1;Port=55432;Username=postgres;Password=...;Database=sfp"
//        [--edge http://localhost:8080] [--seconds 10] [--rates 100,500,1000] [--concurrency 64]
//        [--pgbench /usr/lib/postgresql/15/bin/pgbench] [--payload path/to/payload.json] [--burst 500] [--label text]
// The connection string may also come from the SFP_BENCH_DB environment variable.
const int NumberPlaceholder = 100_000_000;
const string NumberPlaceholderText = "100000000";
const int MaxConnections = 1024;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("Usage: WebhookBench --db <connection string> [--edge http://localhost:8080] [--seconds 10] [--rates 100,500,1000] [--concurrency 64] [--pgbench path] [--payload path]");
    return 2;
}

await using var db = new NpgsqlConnection(options.ConnectionString);
await db.OpenAsync();
var synchronousCommit = (string)(await ScalarAsync(db, "SHOW synchronous_commit"))!;
var serverVersion = (string)(await ScalarAsync(db, "SHOW server_version"))!;

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = MaxConnections,
    UseProxy = false,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    ConnectTimeout = TimeSpan.FromSeconds(10),
};
using var http = new HttpClient(handler) { BaseAddress = options.Edge, Timeout = TimeSpan.FromSeconds(60) };

// An owner token, then a github-webhook integration of our own (random hook target and secret).
var intake = await SignedIntake.RegisterAsync(http);

var loadBefore = ProcessCpu.Load();
var template = File.ReadAllText(options.PayloadPath);
var runId = Guid.NewGuid().ToString("N")[..12];

Console.Error.WriteLine($"edge {options.Edge}, integration {intake.Name} (target integration {intake.TargetId}), run {runId}");

// The ceiling first, while the API holds few connections (Postgres allows 100; the API's pool may take most of them
// under load and keep them idle for minutes afterwards).
Console.Error.WriteLine($"pgbench: {options.Seconds} s, 16 clients, delivery + run rows per transaction");
var ceiling = await PgbenchAsync();

Console.Error.WriteLine("warm-up: 2 s at 100/s");
var warmUp = await OpenLoopAsync("warm-up", 100, TimeSpan.FromSeconds(2));

var results = new List<PhaseResult>();
foreach (var rate in options.Rates)
{
    Console.Error.WriteLine($"fixed rate: {options.Seconds} s at {rate}/s");
    results.Add(await OpenLoopAsync($"{rate}/s", rate, TimeSpan.FromSeconds(options.Seconds)));
}

Console.Error.WriteLine($"saturation: {options.Seconds} s, {options.Concurrency} workers");
var saturation = await ClosedLoopAsync("saturation", options.Concurrency, TimeSpan.FromSeconds(options.Seconds), int.MaxValue, samePullRequest: false);
results.Add(saturation);
PhaseResult? distinctBurst = null, sameKeyBurst = null;
if (options.Burst > 0)
{
    Console.Error.WriteLine($"bursts: {options.Burst} deliveries at full speed ({options.Concurrency} workers), distinct pull requests, then one pull request");
    distinctBurst = await ClosedLoopAsync($"burst {options.Burst}, distinct PRs", options.Concurrency, TimeSpan.FromMinutes(5), options.Burst, samePullRequest: false);
    sameKeyBurst = await ClosedLoopAsync($"burst {options.Burst}, one PR", options.Concurrency, TimeSpan.FromMinutes(5), options.Burst, samePullRequest: true);
    results.Add(distinctBurst);
    results.Add(sameKeyBurst);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores (load generator, edge, API and Postgres share them), .NET {Environment.Version}, PostgreSQL {serverVersion}"));
Console.WriteLine($"# synchronous_commit = {synchronousCommit}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# POST {options.Edge.GetLeftPart(UriPartial.Authority)}{SignedIntake.GitHubPath}, pull_request/opened ({warmUp.BodyBytes:N0}-byte body, routes to a workflow: one delivery row + one run row per 200)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {options.Seconds} s per phase after a 2 s warm-up at 100/s; fixed rates open loop (latency from the scheduled send time); saturation closed loop with {options.Concurrency} workers"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {options.Label}; load average before the run {loadBefore}; ceiling = pgbench delivery + run transactions/s in this run: {ceiling.Tps:0}"));
Console.WriteLine("# \"200s after 10 s\": acknowledged later than GitHub's 10-second delivery timeout (GitHub would record them as failed)");
Console.WriteLine();
Console.WriteLine("| phase | target/s | sent | 200 | non-200 | deliveries/s | achieved / target | ÷ ceiling | p50 ms | p90 ms | p99 ms | max ms | 200s after 10 s | stored deliveries | stored runs | lost | peak PG connections | load avg | host busy | " +
    string.Join(" | ", ProcessCpu.Components.Select(c => $"{c} cores")) + " |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | " +
    string.Join(" | ", ProcessCpu.Components.Select(_ => "---:")) + " |");
foreach (var r in results)
{
    var target = r.TargetRate is { } t ? t.ToString(CultureInfo.InvariantCulture) : "—";
    var ratio = r.TargetRate is { } rate ? (r.DeliveriesPerSecond / rate).ToString("0.00", CultureInfo.InvariantCulture) : "—";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Name} | {target} | {r.Sent:N0} | {r.Ok:N0} | {r.Failed:N0} | {r.DeliveriesPerSecond:0} | {ratio} | {r.DeliveriesPerSecond / ceiling.Tps:0.00} | {r.P50:0.0} | {r.P90:0.0} | {r.P99:0.0} | {r.Max:0.0} | {r.Late:N0} | {r.StoredDeliveries:N0} | {r.StoredRuns:N0} | {r.Lost:N0} | {r.PeakBackends} | {r.Load} | {r.HostBusy:P0} | ")
        + string.Join(" | ", ProcessCpu.Components.Select(c => r.Cores[c].ToString("0.00", CultureInfo.InvariantCulture))) + " |");
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pgbench ceiling (same Postgres, same run): {ceiling.Tps:0} delivery + run transactions/s ({warmUp.BodyBytes:N0}-byte body), {ceiling.Transactions:N0} in {options.Seconds} s, latency average {ceiling.LatencyMs:0.00} ms (16 clients, 2 threads); meanwhile the host (both cores) was {ceiling.HostBusy:P0} busy (per process it cannot be split: pgbench's backends exit with it, before the second snapshot)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"saturation deliveries/s ÷ pgbench tps = {saturation.DeliveriesPerSecond / ceiling.Tps:0.000}"));
if (distinctBurst is not null && sameKeyBurst is not null)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"same-key burst ÷ distinct burst = {sameKeyBurst.DeliveriesPerSecond / distinctBurst.DeliveriesPerSecond:0.00} ({sameKeyBurst.DeliveriesPerSecond:0} vs {distinctBurst.DeliveriesPerSecond:0} deliveries/s)"));
}
Console.WriteLine();
foreach (var r in results.Prepend(warmUp))
{
    Console.WriteLine($"- {r.Name}: {r.Breakdown}; routed without a stored run: {r.RunsMissing} (repository {r.Repository})");
}

var failures = new List<string>();
if (!string.Equals(synchronousCommit, "on", StringComparison.Ordinal))
{
    failures.Add($"synchronous_commit is '{synchronousCommit}', not 'on'");
}

foreach (var r in results.Prepend(warmUp))
{
    if (r.Lost != 0)
    {
        failures.Add($"{r.Name}: {r.Lost} acknowledged deliveries not stored");
    }

    if (r.RunsMissing != 0)
    {
        failures.Add($"{r.Name}: {r.RunsMissing} routed acknowledgements without a stored run");
    }
}

foreach (var failure in failures)
{
    Console.WriteLine($"FAILED: {failure}");
}

return failures.Count == 0 ? 0 : 1;

async Task<PhaseResult> OpenLoopAsync(string name, int rate, TimeSpan duration)
{
    var phase = NewPhase(name);
    var stats = new PhaseStats();
    var total = (int)Math.Round(rate * duration.TotalSeconds);
    var ticksPerRequest = (double)Stopwatch.Frequency / rate;
    var inFlight = new List<Task>(total);
    using var stopSampling = new CancellationTokenSource();
    var backends = PeakBackendsAsync(stopSampling.Token);
    var cpu = ProcessCpu.Take();
    var t0 = Stopwatch.GetTimestamp();
    for (var i = 0; i < total;)
    {
        // Send everything that is due; the generator's own lateness (timer granularity, ~1 ms) counts as latency.
        var now = Stopwatch.GetTimestamp();
        while (i < total && t0 + (long)(i * ticksPerRequest) <= now)
        {
            inFlight.Add(DeliverAsync(phase, t0 + (long)(i * ticksPerRequest), stats, i));
            i++;
        }

        if (i < total)
        {
            await Task.Delay(1);
        }
    }

    await Task.WhenAll(inFlight);
    var used = ProcessCpu.Between(cpu, ProcessCpu.Take());
    await stopSampling.CancelAsync();
    return await ResultAsync(phase, stats, rate, t0, await backends, used);
}

// Closed loop until the duration passed or `count` deliveries were sent; with samePullRequest every delivery is about
// the same pull request (one concurrency group: the same-key burst).
async Task<PhaseResult> ClosedLoopAsync(string name, int concurrency, TimeSpan duration, int count, bool samePullRequest)
{
    var phase = NewPhase(name);
    var stats = new PhaseStats();
    using var stopSampling = new CancellationTokenSource();
    var backends = PeakBackendsAsync(stopSampling.Token);
    var cpu = ProcessCpu.Take();
    var t0 = Stopwatch.GetTimestamp();
    var deadline = t0 + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        await Task.Yield();
        int i;
        while (Stopwatch.GetTimestamp() < deadline && (i = Interlocked.Increment(ref next)) < count)
        {
            await DeliverAsync(phase, Stopwatch.GetTimestamp(), stats, samePullRequest ? 0 : i);
        }
    }));
    var used = ProcessCpu.Between(cpu, ProcessCpu.Take());
    await stopSampling.CancelAsync();
    return await ResultAsync(phase, stats, null, t0, await backends, used);
}

// The most Postgres client connections seen during a phase (sampled every 250 ms on the benchmark's own connection,
// which counts itself): Postgres allows max_connections (100 by default) in all.
async Task<long> PeakBackendsAsync(CancellationToken stop)
{
    long peak = 0;
    while (!stop.IsCancellationRequested)
    {
        peak = Math.Max(peak, (long)(await ScalarAsync(db, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"))!);
        try
        {
            await Task.Delay(250, stop);
        }
        catch (OperationCanceledException)
        {
            break;
        }
    }

    return peak;
}

Phase NewPhase(string name)
{
    // A repository name of this phase's own, so the database count covers exactly these deliveries.
    var repository = $"bench/{name.Replace("/s", "-per-s", StringComparison.Ordinal)}-{runId}";
    // The pull request's number is rewritten per delivery in place (same digit count), so the body is built once.
    var body = SignedIntake.Body(template, repository, NumberPlaceholder);
    var text = Encoding.UTF8.GetString(body);
    var offsets = new List<int>();
    for (var at = text.IndexOf(NumberPlaceholderText, StringComparison.Ordinal); at >= 0; at = text.IndexOf(NumberPlaceholderText, at + 1, StringComparison.Ordinal))
    {
        offsets.Add(Encoding.UTF8.GetByteCount(text.AsSpan(0, at)));
    }

    return new Phase(name, repository, body, [.. offsets]);
}

// The phase's body for pull request `pullRequest`: a copy with the number's digits written over the placeholder's.
byte[] Numbered(Phase phase, int pullRequest)
{
    var body = (byte[])phase.Body.Clone();
    var digits = Encoding.ASCII.GetBytes((NumberPlaceholder + pullRequest).ToString(CultureInfo.InvariantCulture));
    foreach (var offset in phase.NumberOffsets)
    {
        digits.CopyTo(body, offset);
    }

    return body;
}

async Task DeliverAsync(Phase phase, long scheduled, PhaseStats stats, int pullRequest)
{
    var answer = await intake.SendAsync(Numbered(phase, pullRequest), scheduled);
    if (answer.Status is not { } code)
    {
        stats.Failure(answer.Error ?? "(no answer)");
        return;
    }

    if (code != HttpStatusCode.OK)
    {
        stats.Failure($"HTTP {(int)code}{ProblemTitle(answer.Content)}");
        return;
    }

    string status;
    try
    {
        using var document = JsonDocument.Parse(answer.Content);
        status = document.RootElement.TryGetProperty("status", out var value) ? value.GetString() ?? "(null)" : "(no status)";
    }
    catch (JsonException)
    {
        status = "(not JSON)";
    }

    stats.Success(answer.Milliseconds, status, answer.DeliveryId);
}

async Task<PhaseResult> ResultAsync(Phase phase, PhaseStats stats, int? rate, long t0, long peakBackends, (Dictionary<string, double> Cores, double HostBusy) used)
{
    var elapsed = (stats.LastCompletion - t0) / (double)Stopwatch.Frequency;
    var latencies = stats.Latencies.Order().ToArray();
    var storedDeliveries = (long)(await ScalarAsync(db, "SELECT count(*) FROM webhook_deliveries WHERE repository = $1", phase.Repository))!;
    var storedRuns = (long)(await ScalarAsync(db,
        "SELECT count(*) FROM workflow_runs r JOIN webhook_deliveries d ON d.id = r.delivery_id WHERE d.repository = $1", phase.Repository))!;
    // Exact: every delivery id answered 200 must have its row, and every routed one its run (a request the client gave
    // up on may still be stored, so "stored" can exceed the 200s; it can never be less without something lost).
    var lost = (long)(await ScalarAsync(db,
        "SELECT count(*) FROM unnest($1::text[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.repository = $2 AND d.delivery_id = a.id)",
        stats.Acknowledged.ToArray(), phase.Repository))!;
    var runsMissing = (long)(await ScalarAsync(db,
        "SELECT count(*) FROM unnest($1::text[]) AS a(id) WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d JOIN workflow_runs r ON r.delivery_id = d.id WHERE d.repository = $2 AND d.delivery_id = a.id)",
        stats.Routed.ToArray(), phase.Repository))!;
    var breakdown = string.Join(", ", stats.Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value:N0}"));
    return new PhaseResult(phase.Name, phase.Repository, rate, phase.Body.Length, stats.Sent, latencies.Length, stats.Sent - latencies.Length,
        elapsed > 0 ? latencies.Length / elapsed : 0, Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99),
        latencies.Length == 0 ? double.NaN : latencies[^1], latencies.Count(l => l > 10_000), storedDeliveries, storedRuns, lost, runsMissing, peakBackends, breakdown,
        used.Cores, used.HostBusy, ProcessCpu.Load());
}

async Task<Ceiling> PgbenchAsync()
{
    var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
    var script = Path.Combine(Path.GetTempPath(), $"sfp-webhook-bench-{runId}.sql");
    // The intake's transaction without the intake: a delivery row (the same body bytes, a unique delivery id, jsonb
    // headers) and a run row (a unique idempotency key, a ~1 KB jsonb input), committed together. Tables of its own,
    // shaped like webhook_deliveries and workflow_runs (primary key, the unique keys), dropped afterwards.
    await ScalarAsync(db, """
        CREATE TABLE IF NOT EXISTS bench_payload (body bytea);
        CREATE TABLE IF NOT EXISTS bench_delivery (id uuid PRIMARY KEY, delivery_id text UNIQUE, headers jsonb, body bytea, received_at timestamptz);
        CREATE TABLE IF NOT EXISTS bench_run (id uuid PRIMARY KEY, idempotency_key text UNIQUE, delivery_id uuid, status text, input jsonb,
                                              created_at timestamptz, next_attempt_at timestamptz);
        CREATE INDEX IF NOT EXISTS bench_run_claimable ON bench_run (next_attempt_at, id) WHERE status = 'queued';
        TRUNCATE bench_payload;
        """);
    await ScalarAsync(db, "INSERT INTO bench_payload (body) VALUES ($1)", Encoding.UTF8.GetBytes(template));
    try
    {
        await File.WriteAllTextAsync(script, """
            BEGIN;
            INSERT INTO bench_delivery SELECT gen_random_uuid(), gen_random_uuid()::text, '{"x-github-event":"pull_request"}', body, now() FROM bench_payload;
            INSERT INTO bench_run VALUES (gen_random_uuid(), gen_random_uuid()::text, gen_random_uuid(), 'queued', jsonb_build_object('event', repeat('x', 1000)), now(), now());
            COMMIT;

            """);
        var start = new ProcessStartInfo(options.Pgbench)
        {
            ArgumentList =
            {
                "-n", "-h", connection.Host ?? "127.0.0.1", "-p", connection.Port.ToString(CultureInfo.InvariantCulture),
                "-U", connection.Username ?? "postgres", "-c", "16", "-j", "2", "-T", options.Seconds.ToString(CultureInfo.InvariantCulture),
                "-f", script, connection.Database ?? "sfp",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PGPASSWORD"] = connection.Password ?? string.Empty;
        var cpu = ProcessCpu.Take();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {options.Pgbench}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // What the ceiling itself costs: if pgbench and Postgres keep every core busy, no intake on the same machine
        // (which adds the edge, the Api and the generator to the same database work) can reach it.
        var used = ProcessCpu.Between(cpu, ProcessCpu.Take());
        var text = await output;
        var tps = Patterns.Tps().Match(text);
        if (process.ExitCode != 0 || !tps.Success)
        {
            throw new InvalidOperationException($"pgbench exited with {process.ExitCode}:\n{text}\n{await errors}");
        }

        var transactions = Patterns.Transactions().Match(text);
        var latency = Patterns.Latency().Match(text);
        return new Ceiling(
            double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
            transactions.Success ? long.Parse(transactions.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN,
            used.HostBusy);
    }
    finally
    {
        File.Delete(script);
        await ScalarAsync(db, "DROP TABLE IF EXISTS bench_payload, bench_delivery, bench_run");
    }
}

static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, params object[] parameters)
{
    await using var command = new NpgsqlCommand(sql, connection);
    foreach (var parameter in parameters)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = parameter });
    }

    return await command.ExecuteScalarAsync();
}

// " (title)" of an RFC 7807 problem body, so refusals are told apart (the edge's own 502/503 carry none).
static string ProblemTitle(byte[] content)
{
    try
    {
        using var document = JsonDocument.Parse(content);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("title", out var title)
            && title.ValueKind == JsonValueKind.String
            ? $" ({title.GetString()})"
            : string.Empty;
    }
    catch (JsonException)
    {
        return content.Length == 0 ? " (empty body)" : " (not JSON)";
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

internal sealed record Phase(string Name, string Repository, byte[] Body, int[] NumberOffsets);

internal sealed record PhaseResult(
    string Name, string Repository, int? TargetRate, int BodyBytes, int Sent, int Ok, int Failed, double DeliveriesPerSecond,
    double P50, double P90, double P99, double Max, int Late, long StoredDeliveries, long StoredRuns, long Lost, long RunsMissing, long PeakBackends, string Breakdown,
    Dictionary<string, double> Cores, double HostBusy, string Load);

/// <summary>pgbench's rate, with the host's busy fraction meanwhile (all cores).</summary>
internal sealed record Ceiling(double Tps, long Transactions, double LatencyMs, double HostBusy);

/// <summary>Outcomes of one phase, recorded from many concurrent requests.</summary>
internal sealed class PhaseStats
{
    private readonly Lock _lock = new();
    private readonly List<double> _latencies = new(64 * 1024);
    private readonly Dictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private readonly List<string> _acknowledged = new(64 * 1024);
    private readonly List<string> _routed = new(64 * 1024);
    private int _sent;
    private long _lastCompletion;

    public int Sent => _sent;

    public long LastCompletion => _lastCompletion;

    public IReadOnlyList<double> Latencies => _latencies;

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>The X-GitHub-Delivery ids answered 200.</summary>
    public IReadOnlyList<string> Acknowledged => _acknowledged;

    /// <summary>The X-GitHub-Delivery ids answered 200 with status "routed" (each must have a stored run).</summary>
    public IReadOnlyList<string> Routed => _routed;

    public void Success(double latencyMs, string status, string deliveryId)
    {
        lock (_lock)
        {
            _latencies.Add(latencyMs);
            _acknowledged.Add(deliveryId);
            if (status == "routed")
            {
                _routed.Add(deliveryId);
            }

            Record(status);
        }
    }

    public void Failure(string reason)
    {
        lock (_lock)
        {
            Record(reason);
        }
    }

    private void Record(string outcome)
    {
        _sent++;
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        _lastCompletion = Math.Max(_lastCompletion, Stopwatch.GetTimestamp());
    }
}

internal sealed class BenchOptions
{
    public required string ConnectionString { get; init; }

    public required Uri Edge { get; init; }

    public required int Seconds { get; init; }

    public required IReadOnlyList<int> Rates { get; init; }

    public required int Concurrency { get; init; }

    public required string Pgbench { get; init; }

    public required string PayloadPath { get; init; }

    /// <summary>Deliveries per burst (distinct pull requests, then one pull request); 0: no bursts.</summary>
    public required int Burst { get; init; }

    /// <summary>What this run measures (printed with the table): the commit, workers stopped or running.</summary>
    public required string Label { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs; got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        var known = new[] { "db", "edge", "seconds", "rates", "concurrency", "pgbench", "payload", "burst", "label" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option --{unknown}.");
        }

        var connectionString = values.GetValueOrDefault("db") ?? Environment.GetEnvironmentVariable("SFP_BENCH_DB");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException("Give the Postgres connection string with --db or SFP_BENCH_DB.");
        }

        return new BenchOptions
        {
            ConnectionString = connectionString,
            Edge = new Uri(values.GetValueOrDefault("edge") ?? "http://localhost:8080"),
            Seconds = Positive(values.GetValueOrDefault("seconds") ?? "10", "seconds"),
            Rates = (values.GetValueOrDefault("rates") ?? "100,500,1000").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(r => Positive(r, "rates")).ToList(),
            Concurrency = Positive(values.GetValueOrDefault("concurrency") ?? "64", "concurrency"),
            Pgbench = values.GetValueOrDefault("pgbench") ?? "/usr/lib/postgresql/15/bin/pgbench",
            PayloadPath = values.GetValueOrDefault("payload") ?? DefaultPayload(),
            Burst = values.TryGetValue("burst", out var burst) ? Positive(burst, "burst") : 0,
            Label = values.GetValueOrDefault("label") ?? "unlabelled",
        };
    }

    private static int Positive(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"--{name} takes positive whole numbers; got '{text}'.");

    private static string DefaultPayload()
    {
        var relative = Path.Combine("SfpPlatform.Tests", "TestData", "github-webhooks", "pull_request", "opened.payload.json");
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new ArgumentException("Run inside the SfpPlatform repository or give --payload.");
    }
}

internal static partial class Patterns
{
    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    public static partial Regex Tps();

    [GeneratedRegex(@"number of transactions actually processed: ([0-9]+)")]
    public static partial Regex Transactions();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    public static partial Regex Latency();
}
