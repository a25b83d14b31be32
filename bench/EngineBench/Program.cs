using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

// Workflow engine benchmark: the embedded engine in real worker processes (SfpPlatform.Tests.WorkerHost, workflow
// "count": one step that inserts (run id, worker) into executions) against a scratch database of its own, migrated
// like the tests do and dropped at the end. For each rate × number of worker processes: fresh tables, fresh worker
// processes, 2 s idle, then runs enqueued open loop through WorkflowRunStore.EnqueueAsync (request i at t0 + i/rate, by
// several enqueuers each with its own connection; how late they started is reported, so a load generator that fell
// behind is visible), then a wait until every run has succeeded. Latencies are computed in SQL from the rows:
// delivery → step start is workflow_runs.created_at (taken by EnqueueAsync just before its INSERT) to the first
// workflow_step_runs.started_at of the run; end to end is created_at → finished_at. "Executed exactly once": the
// executions table has one row per enqueued run and no run twice. Exits non-zero if any phase fails that.
// Usage: dotnet run -c Release --project bench/EngineBench -- --db "Host=127.0.0.1;Port=55432;Username=postgres;Password=..."
//        [--rates 100,1000] [--processes 1,2] [--seconds 10] [--loops 32] [--lease 30] [--enqueuers 16]
//        [--timeout 120] [--worker-host path/to/SfpPlatform.Tests.WorkerHost.dll]
// The connection string (any database on the server; the benchmark creates its own) may also come from SFP_BENCH_DB.
const string Workflow = "count";

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("Usage: EngineBench --db <connection string> [--rates 100,1000] [--processes 1,2] [--seconds 10] [--loops 32] [--lease 30] [--enqueuers 16] [--timeout 120] [--worker-host path]");
    return 2;
}

if (!File.Exists(options.WorkerHost))
{
    Console.Error.WriteLine($"Worker host not found: {options.WorkerHost} (dotnet build -c Release bench/EngineBench builds it).");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var serverConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
var databaseName = "enginebench_" + Guid.NewGuid().ToString("n")[..12];
var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Database = databaseName }.ConnectionString;
var workers = new List<WorkerProcess>();
var results = new List<PhaseResult>();
var baselineBusy = double.NaN;
string serverVersion;
string synchronousCommit;

await using (var server = new NpgsqlConnection(serverConnectionString))
{
    await server.OpenAsync(stop.Token);
    serverVersion = (string)(await ScalarAsync(server, "SHOW server_version"))!;
    synchronousCommit = (string)(await ScalarAsync(server, "SHOW synchronous_commit"))!;
    await ScalarAsync(server, $"CREATE DATABASE \"{databaseName}\"");
}

Console.Error.WriteLine($"scratch database {databaseName}; worker host {options.WorkerHost}");
try
{
    await using (var context = CreateContext(connectionString))
    {
        await context.Database.MigrateAsync(stop.Token);
    }

    await using var dataSource = NpgsqlDataSource.Create(connectionString);
    await ExecuteAsync(dataSource, "CREATE TABLE executions (run_id uuid NOT NULL, worker text NOT NULL, at timestamptz NOT NULL DEFAULT now())", stop.Token);

    // Warm the load generator (EF Core model, the enqueue path, its connections) with 2 s at 100/s of runs no worker
    // claims (no worker processes are running yet); the first phase truncates them.
    Console.Error.WriteLine("load generator warm-up: 2 s at 100/s");
    await EnqueueOpenLoopAsync("bench-warm-up", 100, 2, stop.Token);

    // What the machine does without us (the stack's own processes, anything else running): 3 s of /proc/stat.
    var idleFrom = CpuTimes.Read();
    await Task.Delay(TimeSpan.FromSeconds(3), stop.Token);
    baselineBusy = CpuTimes.BusyPercent(idleFrom, CpuTimes.Read());

    foreach (var rate in options.Rates)
    {
        foreach (var processes in options.Processes)
        {
            results.Add(await RunPhaseAsync(dataSource, rate, processes, stop.Token));
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("cancelled");
}
finally
{
    StopWorkers();
    NpgsqlConnection.ClearAllPools();
    await using var server = new NpgsqlConnection(serverConnectionString);
    await server.OpenAsync(CancellationToken.None);
    await ScalarAsync(server, $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)");
    Console.Error.WriteLine($"dropped {databaseName}");
}

if (stop.IsCancellationRequested)
{
    return 130;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores (load generator, worker processes and Postgres share them), .NET {Environment.Version}, PostgreSQL {serverVersion}, synchronous_commit = {synchronousCommit}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# host CPU busy over 3 s before the phases, without the benchmark's load: {baselineBusy:0} %"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"# workflow \"{Workflow}\" (one step: one INSERT on its own connection); {options.Loops} loops per worker process, lease {options.Lease} s; {options.Seconds} s open loop per phase, {options.Enqueuers} enqueuers"));
Console.WriteLine("# delivery → step start: workflow_runs.created_at → first workflow_step_runs.started_at; end to end: created_at → finished_at; completion runs/s: completed ÷ (last finished_at − first created_at); host CPU busy: all cores, from the first enqueue until every run ended");
Console.WriteLine();
Console.WriteLine("| target runs/s | worker processes | enqueued | enqueue runs/s | enqueue start lag p99 / max ms | completed | completion runs/s | delivery → step start p50 ms | p99 ms | max ms | mean ms | end to end p50 ms | p99 ms | host CPU busy | load avg | workers cores | postgres cores | generator cores | other cores | workers CPU ms/run | workers + postgres CPU ms/run | executed exactly once |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {r.Rate:N0} | {r.Processes} × {options.Loops} loops | {r.Enqueued:N0} | {r.EnqueueRate:0} | {r.LagP99:0.0} / {r.LagMax:0.0} | {r.Completed:N0} | {r.CompletionRate:0} | {r.DeliveryP50:0.0} | {r.DeliveryP99:0.0} | {r.DeliveryMax:0.0} | {r.DeliveryMean:0.0} | {r.EndToEndP50:0.0} | {r.EndToEndP99:0.0} | {r.CpuBusy:0} % | {r.Components.Load} | {r.Components.Workers:0.00} | {r.Components.Postgres:0.00} | {r.Components.Generator:0.00} | {r.Components.Other:0.00} | {r.Components.MsPerRun(r.Components.Workers, r.Completed):0.00} | {r.Components.MsPerRun(r.Components.Workers + r.Components.Postgres, r.Completed):0.00} | {(r.ExactlyOnce ? "yes" : "NO")} |"));
}

Console.WriteLine();
Console.WriteLine("Hatchet's published figure for comparison (docs.hatchet.run/self-hosting/benchmarking, engine v0.55.26, 8-vCPU RDS m7g.2xlarge database):");
Console.WriteLine("100 runs/s at ~40 ms average execution time (event push → step start, mean; ~48 ms at 500/s, ~220 ms at 2,000/s).");
foreach (var r in results.Where(r => r.Rate == 100))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"- here at 100 runs/s, {r.Processes} worker process(es): mean delivery → step start {r.DeliveryMean:0.0} ms ({r.DeliveryMean / 40:0.00} × Hatchet's ~40 ms) on {Environment.ProcessorCount} cores shared with the load generator and the workers"));
}

Console.WriteLine();
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"- {r.Rate}/s × {r.Processes}: executions {r.Executions:N0} ({r.DistinctExecutions:N0} distinct runs; per process {r.PerProcess}); runs claimed more than once {r.Reclaimed}; not succeeded {r.Enqueued - r.Completed}; created → claimed p50 {r.ClaimP50:0.0} ms, p99 {r.ClaimP99:0.0} ms; drained {r.DrainSeconds:0.0} s after the last enqueue; enqueues started > 10 ms late {r.LateStarts:N0}; worker log lines {r.WorkerLogLines}{(r.TimedOut ? "; TIMED OUT" : "")}"));
}

var failures = results.Where(r => !r.ExactlyOnce || r.TimedOut).ToList();
foreach (var f in failures)
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"FAILED: {f.Rate}/s × {f.Processes}: enqueued {f.Enqueued}, succeeded {f.Completed}, executions {f.Executions}, distinct {f.DistinctExecutions}{(f.TimedOut ? ", timed out" : "")}"));
}

return failures.Count == 0 ? 0 : 1;

async Task<PhaseResult> RunPhaseAsync(NpgsqlDataSource dataSource, int rate, int processes, CancellationToken cancellationToken)
{
    Console.Error.WriteLine($"phase {rate}/s × {processes} worker process(es)");
    await ExecuteAsync(dataSource, "TRUNCATE workflow_step_runs, workflow_logs, workflow_runs, executions CASCADE", cancellationToken);

    var phaseWorkers = new List<WorkerProcess>();
    for (var p = 1; p <= processes; p++)
    {
        var worker = WorkerProcess.Start(options.WorkerHost, connectionString, $"w{p}", options.Loops, options.Lease);
        workers.Add(worker);
        phaseWorkers.Add(worker);
    }

    try
    {
        foreach (var worker in phaseWorkers)
        {
            await worker.Ready.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        var cpuFrom = CpuTimes.Read();
        var componentsFrom = ProcessCpu.Take();
        var load = ProcessCpu.Load();
        var enqueue = await EnqueueOpenLoopAsync(Workflow, rate, options.Seconds, cancellationToken);
        var enqueuedAt = Stopwatch.GetTimestamp();

        var timedOut = true;
        var deadline = enqueuedAt + (long)(options.Timeout * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var (succeeded, ended) = await ProgressAsync(dataSource, cancellationToken);
            if (succeeded == enqueue.Enqueued || ended >= enqueue.Enqueued)
            {
                timedOut = succeeded != enqueue.Enqueued;
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        var drainSeconds = Stopwatch.GetElapsedTime(enqueuedAt).TotalSeconds;
        var cpuBusy = CpuTimes.BusyPercent(cpuFrom, CpuTimes.Read());
        var componentsTo = ProcessCpu.Take();
        var (cores, _) = ProcessCpu.Between(componentsFrom, componentsTo);
        var components = new ComponentCpu(load + " → " + ProcessCpu.Load(), cores["workers"], cores["postgres"], cores["generator"],
            cores.Where(c => c.Key is not ("workers" or "postgres" or "generator")).Sum(c => c.Value), (componentsTo.At - componentsFrom.At).TotalSeconds);
        foreach (var worker in phaseWorkers)
        {
            worker.Stop();
        }

        return await MeasureAsync(dataSource, rate, processes, enqueue, drainSeconds, timedOut,
            phaseWorkers.Sum(w => w.LogLines), cpuBusy, components, cancellationToken);
    }
    finally
    {
        foreach (var worker in phaseWorkers)
        {
            worker.Stop();
            workers.Remove(worker);
            worker.Dispose();
        }
    }
}

async Task<EnqueueResult> EnqueueOpenLoopAsync(string workflow, int rate, int seconds, CancellationToken cancellationToken)
{
    var total = rate * seconds;
    var lagMs = new double[total];
    var enqueued = 0;
    var next = -1;
    var lastEnd = 0L;

    // Each enqueuer has its own open connection and context, opened before t0.
    var contexts = new List<(NpgsqlConnection Connection, SfpDbContext Context)>();
    try
    {
        for (var e = 0; e < options.Enqueuers; e++)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            contexts.Add((connection, new SfpDbContext(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql(connection).UseSfpConventions().Options)));
        }

        // The workers are woken as the platform wakes them: one coalesced NOTIFY after enqueues, on a connection of its own.
        await using var notifyConnections = NpgsqlDataSource.Create(connectionString);
        await using var wake = new RunWakeNotifier(async ct =>
        {
            await using var notify = notifyConnections.CreateCommand($"NOTIFY {WorkflowRunStore.Channel}");
            await notify.ExecuteNonQueryAsync(ct);
        }, RunWakeNotifier.DefaultInterval, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var t0 = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
        await Task.WhenAll(contexts.Select(c => Task.Run(() => EnqueuerAsync(new WorkflowRunStore(c.Context, TimeProvider.System, wake)), cancellationToken)));

        var elapsed = (double)(lastEnd - t0) / Stopwatch.Frequency;
        var sorted = lagMs.Order().ToArray();
        return new EnqueueResult(enqueued, enqueued / elapsed, Percentile(sorted, 0.99), sorted[^1], sorted.Count(l => l > 10));

        async Task EnqueuerAsync(WorkflowRunStore queue)
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total)
                {
                    return;
                }

                var due = t0 + (long)((double)i * Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait >= TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, cancellationToken);
                }

                lagMs[i] = Math.Max(0, Stopwatch.GetElapsedTime(due).TotalMilliseconds);
                var id = await queue.EnqueueAsync(new WorkflowTrigger(workflow, Input(i)), cancellationToken);
                if (id is null)
                {
                    throw new InvalidOperationException($"Run {i} was not enqueued.");
                }

                Interlocked.Increment(ref enqueued);
                var end = Stopwatch.GetTimestamp();
                long seen;
                while ((seen = Interlocked.Read(ref lastEnd)) < end && Interlocked.CompareExchange(ref lastEnd, end, seen) != seen)
                {
                }
            }
        }
    }
    finally
    {
        foreach (var (connection, context) in contexts)
        {
            await context.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

async Task<PhaseResult> MeasureAsync(
    NpgsqlDataSource dataSource, int rate, int processes, EnqueueResult enqueue, double drainSeconds, bool timedOut, int logLines,
    double cpuBusy, ComponentCpu components, CancellationToken cancellationToken)
{
    await using var command = dataSource.CreateCommand("""
        WITH first_step AS (
            SELECT run_id, min(started_at) AS started FROM workflow_step_runs GROUP BY run_id),
        runs AS (
            SELECT r.status, r.attempt, r.created_at, r.finished_at,
                   (extract(epoch FROM f.started - r.created_at) * 1000)::float8 AS delivery_ms,
                   (extract(epoch FROM r.started_at - r.created_at) * 1000)::float8 AS claim_ms,
                   CASE WHEN r.status = 'succeeded' THEN (extract(epoch FROM r.finished_at - r.created_at) * 1000)::float8 END AS e2e_ms
            FROM workflow_runs r LEFT JOIN first_step f ON f.run_id = r.id)
        SELECT count(*) FILTER (WHERE status = 'succeeded'),
               count(*) FILTER (WHERE attempt > 1),
               (extract(epoch FROM max(finished_at) FILTER (WHERE status = 'succeeded') - min(created_at)))::float8,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY delivery_ms),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY delivery_ms),
               max(delivery_ms),
               avg(delivery_ms),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY e2e_ms),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY e2e_ms),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY claim_ms),
               percentile_cont(0.99) WITHIN GROUP (ORDER BY claim_ms)
        FROM runs
        """);
    long completed;
    long reclaimed;
    double span;
    double[] latencies = new double[8];
    await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
    {
        await reader.ReadAsync(cancellationToken);
        completed = reader.GetInt64(0);
        reclaimed = reader.GetInt64(1);
        span = reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2);
        for (var c = 0; c < latencies.Length; c++)
        {
            latencies[c] = reader.IsDBNull(3 + c) ? double.NaN : reader.GetDouble(3 + c);
        }
    }

    long executions;
    long distinct;
    long unknown;
    await using (var count = dataSource.CreateCommand("""
        SELECT count(*), count(DISTINCT run_id), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM workflow_runs r WHERE r.id = e.run_id AND r.workflow = 'count'))
        FROM executions e
        """))
    await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
    {
        await reader.ReadAsync(cancellationToken);
        executions = reader.GetInt64(0);
        distinct = reader.GetInt64(1);
        unknown = reader.GetInt64(2);
    }

    var shares = new List<string>();
    await using (var perProcess = dataSource.CreateCommand(
        "SELECT split_part(worker, '/', 1), count(*), count(DISTINCT worker) FROM executions GROUP BY 1 ORDER BY 1"))
    await using (var reader = await perProcess.ExecuteReaderAsync(cancellationToken))
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            shares.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {reader.GetInt64(1):N0} over {reader.GetInt64(2)} loops"));
        }
    }

    var exactlyOnce = executions == distinct && distinct == enqueue.Enqueued && unknown == 0 && enqueue.Enqueued == rate * options.Seconds;
    return new PhaseResult(rate, processes, enqueue.Enqueued, enqueue.Rate, enqueue.LagP99, enqueue.LagMax, enqueue.LateStarts, completed,
        completed / span, latencies[0], latencies[1], latencies[2], latencies[3], latencies[4], latencies[5], latencies[6], latencies[7],
        executions, distinct, string.Join(", ", shares), reclaimed, exactlyOnce, timedOut, drainSeconds, logLines, cpuBusy, components);
}

void StopWorkers()
{
    foreach (var worker in workers)
    {
        worker.Stop();
        worker.Dispose();
    }

    workers.Clear();
}

static SfpDbContext CreateContext(string connectionString) =>
    new(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql(connectionString).UseSfpConventions().Options);

static JsonElement Input(int i) => JsonSerializer.SerializeToElement(new { i });

static async Task<(long Succeeded, long Ended)> ProgressAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
{
    await using var command = dataSource.CreateCommand(
        "SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled')) FROM workflow_runs");
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    await reader.ReadAsync(cancellationToken);
    return (reader.GetInt64(0), reader.GetInt64(1));
}

static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
{
    await using var command = dataSource.CreateCommand(sql);
    await command.ExecuteNonQueryAsync(cancellationToken);
}

static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    return await command.ExecuteScalarAsync();
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

internal sealed record EnqueueResult(int Enqueued, double Rate, double LagP99, double LagMax, int LateStarts);

internal sealed record PhaseResult(
    int Rate, int Processes, int Enqueued, double EnqueueRate, double LagP99, double LagMax, int LateStarts, long Completed,
    double CompletionRate, double DeliveryP50, double DeliveryP99, double DeliveryMax, double DeliveryMean, double EndToEndP50,
    double EndToEndP99, double ClaimP50, double ClaimP99, long Executions, long DistinctExecutions, string PerProcess, long Reclaimed,
    bool ExactlyOnce, bool TimedOut, double DrainSeconds, int WorkerLogLines, double CpuBusy, ComponentCpu Components);

/// <summary>
/// Cores per component over a phase (first enqueue until every run ended, from /proc): the worker processes, Postgres
/// (every backend: the engine's, the step's own insert, the enqueues), the load generator, everything else on the host.
/// </summary>
internal sealed record ComponentCpu(string Load, double Workers, double Postgres, double Generator, double Other, double Seconds)
{
    /// <summary>CPU milliseconds per completed run of <paramref name="cores"/> over the phase.</summary>
    public double MsPerRun(double cores, long runs) => runs == 0 ? double.NaN : cores * Seconds * 1000 / runs;
}

/// <summary>The host's CPU time from /proc/stat (all cores): busy is everything but idle and iowait.</summary>
internal readonly record struct CpuTimes(long Busy, long Total)
{
    public static CpuTimes Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return new CpuTimes(total - fields[3] - fields[4], total);
    }

    public static double BusyPercent(CpuTimes from, CpuTimes to) =>
        to.Total == from.Total ? double.NaN : 100.0 * (to.Busy - from.Busy) / (to.Total - from.Total);
}

/// <summary>One worker process (the real embedded engine), its output forwarded to standard error.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _name;
    private int _logLines;

    private WorkerProcess(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public Task Ready => _ready.Task;

    public int LogLines => Volatile.Read(ref _logLines);

    public static WorkerProcess Start(string workerHost, string connectionString, string name, int loops, double lease)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(workerHost);
        info.ArgumentList.Add(connectionString);
        info.ArgumentList.Add(name);
        info.ArgumentList.Add(loops.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(lease.ToString(CultureInfo.InvariantCulture));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process, name);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        process.Exited += (_, _) => worker._ready.TrySetException(new InvalidOperationException($"Worker process {name} exited before it was ready."));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    public void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Not started or already gone.
        }
    }

    public void Dispose() => _process.Dispose();

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line == "ready")
        {
            _ready.TrySetResult();
            return;
        }

        Interlocked.Increment(ref _logLines);
        Console.Error.WriteLine($"[{_name}] {line}");
    }
}

internal sealed record BenchOptions(
    string ConnectionString, int[] Rates, int[] Processes, int Seconds, int Loops, double Lease, int Enqueuers, double Timeout, string WorkerHost)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        var known = new[] { "db", "rates", "processes", "seconds", "loops", "lease", "enqueuers", "timeout", "worker-host" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option --{unknown}.");
        }

        var db = values.GetValueOrDefault("db") ?? Environment.GetEnvironmentVariable("SFP_BENCH_DB");
        if (string.IsNullOrWhiteSpace(db))
        {
            throw new ArgumentException("A connection string is required: --db or SFP_BENCH_DB.");
        }

        return new BenchOptions(
            db,
            Ints(values.GetValueOrDefault("rates") ?? "100,1000"),
            Ints(values.GetValueOrDefault("processes") ?? "1,2"),
            int.Parse(values.GetValueOrDefault("seconds") ?? "10", CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("loops") ?? "32", CultureInfo.InvariantCulture),
            double.Parse(values.GetValueOrDefault("lease") ?? "30", CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("enqueuers") ?? "16", CultureInfo.InvariantCulture),
            double.Parse(values.GetValueOrDefault("timeout") ?? "120", CultureInfo.InvariantCulture),
            values.GetValueOrDefault("worker-host") ?? DefaultWorkerHost());
    }

    private static int[] Ints(string list) =>
        [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    /// <summary>The WorkerHost built in the same configuration, found from the repository root above this program.</summary>
    private static string DefaultWorkerHost()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SfpPlatform.sln")))
            {
                return Path.Combine(dir.FullName, "SfpPlatform.Tests.WorkerHost", "bin", configuration, "net10.0", "SfpPlatform.Tests.WorkerHost.dll");
            }
        }

        return "SfpPlatform.Tests.WorkerHost.dll";
    }
}
