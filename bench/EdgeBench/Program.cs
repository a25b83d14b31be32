using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;

// Edge benchmark: one proxied route (/sfp/api/...) through the YARP edge, through Caddy running the generated
// Caddyfile, and direct to the upstream, with the same load generator in one run.
// Usage: dotnet run -c Release --project bench/EdgeBench -- [seconds per target] [concurrency]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var root = FindRoot();
var work = Directory.CreateTempSubdirectory("sfp-edge-bench-").FullName;
var processes = new List<Process>();

try
{
    var upstream = await StartUpstreamAsync();
    var upstreamAddress = $"127.0.0.1:{new Uri(upstream.Urls.Single()).Port}";
    var yarpPort = FreePort();
    var caddyPort = FreePort();

    var edgeDll = Path.Combine(root, "SfpPlatform.Edge", "bin", "Release", "net10.0", "SfpPlatform.Edge.dll");
    if (!File.Exists(edgeDll))
    {
        throw new FileNotFoundException("Build the edge first: dotnet build -c Release SfpPlatform.Edge", edgeDll);
    }

    var yarp = new ProcessStartInfo("dotnet") { ArgumentList = { edgeDll, "--urls", $"http://127.0.0.1:{yarpPort}" } };
    yarp.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
    yarp.Environment["Logging__LogLevel__Default"] = "Warning";
    yarp.Environment["services__api__http__0"] = $"http://{upstreamAddress}";
    yarp.Environment["services__web__http__0"] = $"http://{upstreamAddress}";
    processes.Add(Start(yarp));

    var caddyfile = Path.Combine(work, "Caddyfile");
    File.WriteAllText(Path.Combine(work, "maintenance.html"), MaintenancePage.Html(PlatformTopology.Default));
    File.WriteAllText(caddyfile, CaddyfileRenderer.Render(PlatformTopology.Default, new CaddyfileOptions
    {
        Mode = TlsMode.None,
        HttpPort = caddyPort,
        BindAddress = "127.0.0.1",
        UpstreamAddress = _ => upstreamAddress,
        MaintenanceRoot = work,
        AdminPorts = PlatformTopology.Default.AdminServices.ToDictionary(a => a.Id, _ => FreePort()),
    }));
    var caddy = new ProcessStartInfo("caddy") { ArgumentList = { "run", "--adapter", "caddyfile", "--config", caddyfile } };
    caddy.Environment["XDG_DATA_HOME"] = Path.Combine(work, "data");
    caddy.Environment["XDG_CONFIG_HOME"] = Path.Combine(work, "config");
    processes.Add(Start(caddy));

    var targets = new (string Name, int Port)[] { ("direct", new Uri(upstream.Urls.Single()).Port), ("yarp edge", yarpPort), ("caddy", caddyPort) };
    foreach (var (_, port) in targets)
    {
        await WaitForAsync(port);
    }

    Console.WriteLine($"# {seconds} s per target after 3 s warm-up, {concurrency} concurrent connections, GET /sfp/api/bench (256-byte body)");
    Console.WriteLine($"# {Environment.ProcessorCount} cores; load generator, upstream and proxy share them.");
    Console.WriteLine();
    Console.WriteLine("| target | requests/s | p50 ms | p99 ms | errors | requests/s vs direct | p99 vs direct |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    Result? direct = null;
    foreach (var (name, port) in targets)
    {
        await RunAsync(port, TimeSpan.FromSeconds(3), concurrency);
        var result = await RunAsync(port, TimeSpan.FromSeconds(seconds), concurrency);
        direct ??= result;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {result.Rps:0} | {result.P50:0.00} | {result.P99:0.00} | {result.Errors} | {result.Rps / direct.Rps:0.00} | {result.P99 / direct.P99:0.00} |"));
    }

    await upstream.StopAsync();
}
finally
{
    foreach (var process in processes)
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    Directory.Delete(work, recursive: true);
}

static async Task<Result> RunAsync(int port, TimeSpan duration, int concurrency)
{
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false })
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
    };
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
    {
        var mine = latencies[i] = new List<double>(100_000);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var begin = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync("/sfp/api/bench");
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
                continue;
            }

            mine.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors);
}

static double Percentile(double[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static async Task<WebApplication> StartUpstreamAsync()
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
    var app = builder.Build();
    var body = new string('x', 256);
    app.Run(context => context.Response.WriteAsync(body));
    await app.StartAsync();
    return app;
}

static Process Start(ProcessStartInfo start)
{
    start.RedirectStandardOutput = true;
    start.RedirectStandardError = true;
    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitForAsync(int port)
{
    using var client = new HttpClient();
    for (var attempt = 0; attempt < 300; attempt++)
    {
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/sfp/api/bench");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(100);
    }

    throw new TimeoutException($"Nothing answered on {port}.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SfpPlatform.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run inside the SfpPlatform repository.");
}

internal sealed record Result(double Rps, double P50, double P99, int Errors);
