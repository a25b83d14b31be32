using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// The rendered init SQL (deploy/postgres/init.sql) run by the real psql with the init container's rendered
/// environment, on a fresh Postgres and again on the same data (an existing volume); then the Api's migrations.
/// </summary>
public sealed class PostgresInitTests
{
    private static string InitSql => Path.Combine(ComposeFile.DeployDirectory, "postgres", "init.sql");

    [Fact]
    public async Task InitSql_CreatesHatchetsDatabaseAndGoTruesSchema_ThenTheApiMigrates_AndRunsAgainOnTheSameData()
    {
        var values = OperatorEnvironment.Values();
        await using var postgres = await ScratchPostgres.StartAsync(values[OperatorVariables.PostgresPassword.Name], Cancellation);

        var first = await RunInitAsync(postgres, values);
        Assert.True(first.ExitCode == 0, first.Error + first.Output);

        Assert.Equal(1L, await ScalarAsync<long>(postgres.ConnectionString("postgres"), $"SELECT count(*) FROM pg_database WHERE datname = '{ServiceNames.HatchetDatabase}'"));

        // The Api's migrations on the platform database.
        await using (var context = new SfpDbContext(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql(postgres.ConnectionString(ServiceNames.Database)).UseSfpConventions().Options))
        {
            await context.Database.MigrateAsync(Cancellation);
            Assert.Empty(await context.Database.GetPendingMigrationsAsync(Cancellation));
        }

        // GoTrue's role, with the password from .env over TCP, lands in schema auth and can do what its migrations do:
        // unqualified tables and types, grants to postgres with grant option, altering its own tables.
        var auth = postgres.ConnectionString(ServiceNames.Database, ServiceNames.AuthRole, values[OperatorVariables.AuthDatabasePassword.Name]);
        Assert.Equal(ServiceNames.AuthSchema, await ScalarAsync<string>(auth, "SHOW search_path"));
        await ExecuteAsync(auth, """
            CREATE TYPE probe_level AS ENUM ('aal1', 'aal2');
            CREATE TABLE IF NOT EXISTS probe_users (id uuid PRIMARY KEY, level probe_level);
            ALTER TABLE probe_users ADD COLUMN email text;
            CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(255) PRIMARY KEY);
            ALTER TABLE schema_migrations ALTER COLUMN version TYPE varchar(14);
            GRANT SELECT ON probe_users TO postgres WITH GRANT OPTION;
            ALTER TABLE probe_users ENABLE ROW LEVEL SECURITY;
            """);
        Assert.Equal("probe_users", await ScalarAsync<string>(auth, "SELECT to_regclass('auth.probe_users')::text"));
        Assert.Equal(0L, await ScalarAsync<long>(postgres.ConnectionString(ServiceNames.Database), "SELECT count(*) FROM auth.probe_users"));
        // It owns nothing else: the platform's tables stay out of its reach.
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(auth, "SELECT count(*) FROM public.integrations"));

        // Every start runs it again (an existing volume): nothing fails, and a changed password takes effect.
        values[OperatorVariables.AuthDatabasePassword.Name] = "a-rotated-password-for-the-auth-role-0123";
        var again = await RunInitAsync(postgres, values);
        Assert.True(again.ExitCode == 0, again.Error + again.Output);
        Assert.Equal(ServiceNames.AuthSchema, await ScalarAsync<string>(
            postgres.ConnectionString(ServiceNames.Database, ServiceNames.AuthRole, values[OperatorVariables.AuthDatabasePassword.Name]), "SHOW search_path"));
    }

    [Fact]
    public async Task InitSql_WithoutGoTruesPassword_FailsAndCreatesNoRole()
    {
        var values = OperatorEnvironment.Values();
        await using var postgres = await ScratchPostgres.StartAsync(values[OperatorVariables.PostgresPassword.Name], Cancellation);

        var environment = InitEnvironment(postgres, values);
        environment.Remove(PostgresInit.AuthPasswordVariable);
        var result = await postgres.PsqlAsync(["-v", "ON_ERROR_STOP=1", "-f", InitSql], environment, Cancellation);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(PostgresInit.AuthPasswordVariable, result.Error + result.Output, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync<long>(postgres.ConnectionString("postgres"), $"SELECT count(*) FROM pg_roles WHERE rolname = '{ServiceNames.AuthRole}'"));
    }

    /// <summary>psql as the init container runs it: its command line and its compose environment, but this server's address.</summary>
    private static Task<Infrastructure.TestProcess.Result> RunInitAsync(ScratchPostgres postgres, Dictionary<string, string> values) =>
        postgres.PsqlAsync(
            [.. InfrastructureServices.PostgresInitializer.Arguments.Skip(1).Select(a => a == InfrastructureServices.InitSqlFile ? InitSql : a)],
            InitEnvironment(postgres, values), Cancellation);

    private static Dictionary<string, string?> InitEnvironment(ScratchPostgres postgres, Dictionary<string, string> values)
    {
        var environment = ComposeFile.Load(values).Environment(ServiceNames.PostgresInit).ToDictionary(e => e.Key, e => (string?)e.Value);
        environment["PGHOST"] = "127.0.0.1";
        environment["PGPORT"] = postgres.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return environment;
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Cancellation))!;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancellation);
    }
}
