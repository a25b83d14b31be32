using System.Globalization;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// A fresh PostgreSQL cluster of its own (the machine's server binaries, as the unprivileged postgres user when run as
/// root), with password authentication over TCP as a container's Postgres has, on a free loopback port.
/// </summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly TestFolder _folder = new();

    private ScratchPostgres(string binDirectory, string superuserPassword)
    {
        BinDirectory = binDirectory;
        SuperuserPassword = superuserPassword;
        Port = EdgePair.FreePort();
    }

    public string BinDirectory { get; }

    public string SuperuserPassword { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_folder.Path, "data");

    public string ConnectionString(string database, string user = "postgres", string? password = null) =>
        $"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username={user};Password={password ?? SuperuserPassword};Database={database};Pooling=false";

    public static async Task<ScratchPostgres> StartAsync(string superuserPassword, CancellationToken cancellationToken)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "initdb")));
        var postgres = new ScratchPostgres(bin, superuserPassword);
        try
        {
            await postgres.InitializeAsync(cancellationToken);
            return postgres;
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        File.SetUnixFileMode(_folder.Path, (UnixFileMode)Convert.ToInt32("777", 8));
        var passwordFile = Path.Combine(_folder.Path, "pwfile");
        await File.WriteAllTextAsync(passwordFile, SuperuserPassword + "\n", cancellationToken);
        File.SetUnixFileMode(passwordFile, (UnixFileMode)Convert.ToInt32("644", 8));
        await RunAsServerUserAsync("initdb", ["-D", DataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
            $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
        await RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(_folder.Path, "server.log"), "-w", "-t", "30",
            "-o", $"-c listen_addresses=127.0.0.1 -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder.Path} -c fsync=off -c max_connections=200", "start"], cancellationToken);
    }

    /// <summary>Runs psql with the given environment (PG* variables), the way the init container does.</summary>
    public Task<TestProcess.Result> PsqlAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken) =>
        TestProcess.RunAsync(Path.Combine(BinDirectory, "psql"), arguments, environment, cancellationToken);

    private async Task RunAsServerUserAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(BinDirectory, tool);
        var result = Environment.UserName == "root"
            ? await TestProcess.RunAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], cancellationToken: cancellationToken)
            : await TestProcess.RunAsync(executable, arguments, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed ({result.ExitCode}): {result.Error} {result.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunAsServerUserAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
        }

        _folder.Dispose();
    }
}
