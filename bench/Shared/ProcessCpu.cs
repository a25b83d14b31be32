using System.Globalization;

/// <summary>
/// CPU per component of the stack from /proc: user + system ticks of every process, grouped by what it is (edge, Api,
/// Workers, Web, Postgres, the Aspire dashboard, the load generator itself, anything else). A snapshot before and
/// after a phase gives each component's cores (CPU seconds ÷ wall seconds). Linux only; processes that start or end
/// during the phase count from when they are first or last seen.
/// "exporters" are the OpenTelemetry SDK's export threads inside the platform's processes (their OS thread names start
/// with "OpenTelemetry": the batch span and log processors, the periodic metric reader), taken out of their process's
/// figure: serialising and sending OTLP. "telemetry" = dashboard + exporters. What the SDK's instrumentation costs on the
/// request threads (creating spans, log records) stays in the service's own figure.
/// </summary>
internal static class ProcessCpu
{
    public static readonly string[] Components = ["edge", "api", "workers", "web", "postgres", "dashboard", "exporters", "telemetry", "generator", "other"];

    private static readonly HashSet<string> PlatformProcesses = ["edge", "api", "workers", "web"];

    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public sealed record Snapshot(DateTime At, Dictionary<int, (string Component, long Ticks)> Processes, long HostBusy, long HostTotal);

    public static Snapshot Take()
    {
        var processes = new Dictionary<int, (string, long)>();
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                string cmdline;
                try
                {
                    cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    cmdline = comm;
                }

                var component = Classify(pid == self, comm, cmdline);
                if (PlatformProcesses.Contains(component))
                {
                    // Thread ids share the pid space, so an export thread is its own entry.
                    foreach (var (tid, threadTicks) in ExportThreads(dir))
                    {
                        processes[tid] = ("exporters", threadTicks);
                        ticks -= threadTicks;
                    }
                }

                processes[pid] = (component, ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while being read.
            }
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var idle = cpu[3] + cpu[4];
        return new Snapshot(DateTime.UtcNow, processes, cpu.Sum() - idle, cpu.Sum());
    }

    private static string Classify(bool self, string comm, string cmdline) => self ? "generator" : cmdline switch
    {
        _ when cmdline.Contains("SfpPlatform.Edge", StringComparison.Ordinal) => "edge",
        _ when cmdline.Contains("SfpPlatform.Api", StringComparison.Ordinal) => "api",
        _ when cmdline.Contains("SfpPlatform.Workers", StringComparison.Ordinal) || cmdline.Contains("SfpPlatform.Tests.WorkerHost", StringComparison.Ordinal) => "workers",
        _ when cmdline.Contains("SfpPlatform.Web", StringComparison.Ordinal) => "web",
        _ when comm.StartsWith("postgres", StringComparison.Ordinal) || cmdline.StartsWith("postgres", StringComparison.Ordinal) => "postgres",
        // The dashboard receives every service's OTLP export (the exporters' threads are counted apart, see ExportThreads).
        _ when cmdline.Contains("Aspire.Dashboard", StringComparison.Ordinal) => "dashboard",
        _ => "other",
    };

    /// <summary>The OpenTelemetry SDK's export threads of one process (/proc/pid/task), with their CPU ticks.</summary>
    private static IEnumerable<(int Tid, long Ticks)> ExportThreads(string processDirectory)
    {
        var found = new List<(int, long)>();
        foreach (var task in Directory.EnumerateDirectories(Path.Combine(processDirectory, "task")))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var close = stat.LastIndexOf(')');
                var comm = stat[(stat.IndexOf('(') + 1)..close];
                if (!comm.StartsWith("OpenTelemetry", StringComparison.Ordinal))
                {
                    continue;
                }

                var fields = stat[(close + 2)..].Split(' ');
                found.Add((int.Parse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture),
                    long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The thread ended while being read.
            }
        }

        return found;
    }

    /// <summary>Cores used per component between two snapshots, and the host's busy fraction (all cores).</summary>
    public static (Dictionary<string, double> Cores, double HostBusy) Between(Snapshot before, Snapshot after)
    {
        var seconds = (after.At - before.At).TotalSeconds;
        var cores = Components.ToDictionary(c => c, _ => 0.0);
        foreach (var (pid, (component, ticks)) in after.Processes)
        {
            var start = before.Processes.TryGetValue(pid, out var b) ? b.Ticks : 0;
            cores[component] += Math.Max(0, ticks - start) / TicksPerSecond / seconds;
        }

        cores["telemetry"] = cores["dashboard"] + cores["exporters"];
        var total = after.HostTotal - before.HostTotal;
        return (cores, total == 0 ? 0 : (after.HostBusy - before.HostBusy) / (double)total);
    }

    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
