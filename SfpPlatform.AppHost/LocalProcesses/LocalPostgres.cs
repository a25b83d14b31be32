using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using SfpPlatform.AppHost.Runtime;
using SfpPlatform.Topology;

namespace SfpPlatform.AppHost.LocalProcesses;

/// <summary>PostgreSQL from the machine's server binaries, run as an executable resource.</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password, int port)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource PasswordParameter { get; } = password;

    public int Port { get; } = port;

    /// <summary>The <c>sfp</c> database; the Api creates it with the first migration.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create(
            $"Host=127.0.0.1;Port={Port.ToString(System.Globalization.CultureInfo.InvariantCulture)};Username=postgres;Password={PasswordParameter};Database={ServiceNames.Database}");
}

internal static class LocalPostgres
{
    private const string ServerUser = "postgres";

    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataRoot)
    {
        var binDirectory = FindBinDirectory(builder.Configuration);
        var runAsUser = Environment.IsPrivilegedProcess ? ServerUser : null;
        if (runAsUser is not null && HostCommands.Find("setpriv") is null)
        {
            throw new PrerequisiteMissingException(
                "PostgreSQL refuses to run as root and 'setpriv' is missing: install util-linux (apt-get install util-linux).");
        }

        var root = Path.Combine(dataRoot, "postgres");
        var dataDirectory = Path.Combine(root, "data");
        var port = builder.Configuration.GetValue<int?>("Platform:Postgres:Port") ?? LocalDataDirectory.FreePort();

        var passwordValue = builder.ExecutionContext.IsRunMode
            ? EnsureInitialized(binDirectory, root, dataDirectory, runAsUser)
            : "";
        var password = builder.AddParameter($"{name}-password", passwordValue, secret: true);

        var serverArgs = new[]
        {
            "-D", dataDirectory,
            "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=",
        };
        var postgres = Path.Combine(binDirectory, "postgres");
        var (command, args) = runAsUser is null
            ? (postgres, serverArgs)
            : (HostCommands.Find("setpriv")!,
                (string[])["--reuid", runAsUser, "--regid", runAsUser, "--init-groups", "--", postgres, .. serverArgs]);

        var resource = new LocalPostgresResource(name, command, root, password.Resource, port);
        var healthCheckKey = $"{name}-ready";
        var maintenanceConnection =
            $"Host=127.0.0.1;Port={port};Username=postgres;Password={passwordValue};Database=postgres;Timeout=3";
        builder.Services.AddHealthChecks().AddNpgSql(maintenanceConnection, name: healthCheckKey);

        return builder.AddResource(resource)
            .WithArgs(args)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: "tcp", isProxied: false)
            .WithHealthCheck(healthCheckKey)
            .WithIconName("Database")
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Runs initdb once (as the unprivileged server user when the AppHost runs as root) and returns the
    /// superuser password, generated on first run and kept beside the data directory (mode 0600).
    /// </summary>
    private static string EnsureInitialized(string binDirectory, string root, string dataDirectory, string? runAsUser)
    {
        Directory.CreateDirectory(root);
        var passwordFile = Path.Combine(root, "password");
        if (!File.Exists(passwordFile))
        {
            var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            File.WriteAllText(passwordFile, generated);
            RestrictToOwner(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var password = File.ReadAllText(passwordFile).Trim();
        if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            return password;
        }

        Directory.CreateDirectory(dataDirectory);
        RestrictToOwner(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var initPasswordFile = Path.Combine(root, ".initdb-password");
        File.WriteAllText(initPasswordFile, password);
        try
        {
            var initdb = Path.Combine(binDirectory, "initdb");
            string[] initArgs =
            [
                "-D", dataDirectory, "-U", "postgres", "--pwfile", initPasswordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
            ];
            if (runAsUser is null)
            {
                HostCommands.RunChecked(initdb, initArgs, TimeSpan.FromMinutes(2));
            }
            else
            {
                HostCommands.RunChecked("chown", ["-R", $"{runAsUser}:{runAsUser}", root], TimeSpan.FromSeconds(30));
                HostCommands.RunChecked(HostCommands.Find("setpriv")!,
                    ["--reuid", runAsUser, "--regid", runAsUser, "--init-groups", "--", initdb, .. initArgs],
                    TimeSpan.FromMinutes(2));
            }
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        return password;
    }

    private static void RestrictToOwner(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>
    /// <c>Platform:Postgres:BinDirectory</c>, else <c>postgres</c> on PATH, else <c>pg_config --bindir</c>, else
    /// the newest /usr/lib/postgresql/*/bin.
    /// </summary>
    private static string FindBinDirectory(IConfiguration configuration)
    {
        static bool HasServer(string? dir) =>
            dir is not null && File.Exists(Path.Combine(dir, "postgres")) && File.Exists(Path.Combine(dir, "initdb"));

        if (configuration["Platform:Postgres:BinDirectory"] is { Length: > 0 } configured)
        {
            return HasServer(configured)
                ? configured
                : throw new PrerequisiteMissingException(
                    $"Platform:Postgres:BinDirectory '{configured}' has no postgres and initdb binaries.");
        }

        if (Path.GetDirectoryName(HostCommands.Find("postgres")) is { } onPath && HasServer(onPath))
        {
            return onPath;
        }

        if (HostCommands.Find("pg_config") is { } pgConfig)
        {
            var bindir = HostCommands.Run(pgConfig, ["--bindir"], TimeSpan.FromSeconds(10)).Output.Trim();
            if (HasServer(bindir))
            {
                return bindir;
            }
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(HasServer)
                .OrderByDescending(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

        return debian ?? throw new PrerequisiteMissingException(
            "PostgreSQL server binaries not found: install them (Debian/Ubuntu: apt-get install postgresql postgresql-contrib) or set Platform:Postgres:BinDirectory, or run a container runtime.");
    }
}
