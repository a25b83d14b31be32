using Npgsql;

namespace SfpPlatform.Core.Workflows;

/// <summary>What every engine's workers write about a run's steps: attempts and log lines, in the platform database.</summary>
internal sealed class WorkflowRecords(NpgsqlDataSource dataSource)
{
    public async Task EndStepAsync(long stepRunId, string status, string? error, CancellationToken cancellationToken)
    {
        await using var command = Command("UPDATE workflow_step_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1", stepRunId, status, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AppendLogAsync(Guid runId, string step, string line, CancellationToken cancellationToken)
    {
        await using var command = Command("INSERT INTO workflow_logs (run_id, step, at, line) VALUES ($1, $2, now(), $3)", runId, step, line);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A command with positional parameters ($1, $2, …); a null value is SQL NULL.</summary>
    public NpgsqlCommand Command(string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>An error as a run or step records it: the exception's type and message, at most 2,000 characters.</summary>
    public static string Error(Exception failure, bool timedOut, TimeSpan timeout)
    {
        var error = timedOut ? $"timed out after {timeout}" : $"{failure.GetType().Name}: {failure.Message}";
        return error.Length <= 2000 ? error : error[..2000];
    }
}
