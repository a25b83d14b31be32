using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>A database of its own on the stack's Postgres server, migrated, dropped afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string platformConnectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(platformConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var database = new TestDatabase(server, "test_" + Guid.NewGuid().ToString("n")[..12]);
        await using var context = database.CreateContext();
        await context.Database.MigrateAsync();
        return database;
    }

    public SfpDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SfpDbContext>().UseNpgsql(ConnectionString).UseSfpConventions().Options);

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(ConnectionString, sql, parameters);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
