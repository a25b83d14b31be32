using Npgsql;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>One-off SQL for assertions about what is stored.</summary>
public static class Sql
{
    /// <summary>The first column of the first row, with positional parameters ($1, $2, …).</summary>
    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, object[] parameters, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return (T?)await command.ExecuteScalarAsync(cancellationToken);
    }
}
