using System.Net.Sockets;
using Npgsql;

namespace SfpPlatform.Core.Data;

/// <summary>Tells "the database cannot be reached or is not accepting work right now" from every other failure.</summary>
public static class DatabaseErrors
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection exceptions (08), insufficient resources (53), operator intervention (57: shutdown, starting up).
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || pg.SqlState.StartsWith("53", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal):
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Drops every pooled connection: after the server restarts, idle ones are dead and would each fail one more
    /// request. Called when the database is found unavailable, so the first request after it returns succeeds.
    /// </summary>
    public static void DiscardPooledConnections() => NpgsqlConnection.ClearAllPools();
}
