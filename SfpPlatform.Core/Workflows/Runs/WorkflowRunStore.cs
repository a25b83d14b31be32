using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Telemetry;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>
/// The one owner of the run tables (<c>workflow_runs</c>, <c>workflow_step_runs</c>, <c>workflow_logs</c>): every
/// statement on them is here — enqueue, cancel and status (the engine contract), the Api's reads, and what the
/// engines' workers write (claims and leases, step attempts, log lines, the relay to Hatchet). Statuses come from
/// <see cref="RunStatuses"/> and <see cref="WorkflowStepStatus"/>, never from literals.
/// <para>
/// Built over the caller's <see cref="SfpDbContext"/> (the scoped registration), a statement joins the context's
/// connection and the transaction open on it, so the webhook intake writes a delivery and its run atomically. Built
/// <see cref="ForWorkers"/> over a data source, each statement takes a pooled connection of its own, so worker loops,
/// heartbeats and log lines run concurrently; that store cannot enqueue or read runs through EF Core.
/// </para>
/// </summary>
public sealed partial class WorkflowRunStore
{
    /// <summary>The channel workers <c>LISTEN</c> on: the <see cref="RunWakeNotifier"/> notifies it after runs were enqueued.</summary>
    public const string Channel = "sfp_workflow_runs";

    /// <summary>The length of the <c>error</c> columns.</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>The statuses of a run that has ended (<see cref="RunStatuses.IsFinished"/>), as an SQL list.</summary>
    private const string FinishedStatusesSql = $"('{RunStatuses.Succeeded}', '{RunStatuses.Failed}', '{RunStatuses.Cancelled}')";

    private readonly SfpDbContext? _db;
    private readonly NpgsqlDataSource? _dataSource;
    private readonly TimeProvider _time;
    private readonly RunWakeNotifier? _wake;

    /// <summary>
    /// The store of a request or a step's scope: statements join <paramref name="db"/>'s connection and open transaction;
    /// enqueues wake the workers through <paramref name="wake"/> (without one, the workers find new runs by polling).
    /// </summary>
    public WorkflowRunStore(SfpDbContext db, TimeProvider time, RunWakeNotifier? wake = null)
    {
        _db = db;
        _time = time;
        _wake = wake;
    }

    private WorkflowRunStore(NpgsqlDataSource dataSource, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
    }

    /// <summary>The store of the engines' workers: each statement on a pooled connection of <paramref name="dataSource"/>.</summary>
    public static WorkflowRunStore ForWorkers(NpgsqlDataSource dataSource, TimeProvider? time = null) => new(dataSource, time ?? TimeProvider.System);

    /// <summary>An error as a run or step records it: at most <see cref="MaxErrorLength"/> characters.</summary>
    public static string Clip(string error) => StoredText.Clip(error, MaxErrorLength);

    private SfpDbContext Context => _db ?? throw new InvalidOperationException(
        "This run store works on the workers' data source; enqueueing and reading runs need the caller's SfpDbContext (resolve WorkflowRunStore from a scope).");

    private NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException(
        "The relay runs its own transactions: use the workers' store (WorkflowRunStore.ForWorkers).");

    private Task<int> NonQueryAsync(string sql, object?[] values, CancellationToken cancellationToken) =>
        ExecuteAsync(sql, values, (command, ct) => command.ExecuteNonQueryAsync(ct), cancellationToken);

    private Task<object?> ScalarAsync(string sql, object?[] values, CancellationToken cancellationToken) =>
        ExecuteAsync(sql, values, (command, ct) => command.ExecuteScalarAsync(ct), cancellationToken);

    private Task<List<T>> QueryAsync<T>(string sql, object?[] values, Func<NpgsqlDataReader, T> row, CancellationToken cancellationToken) =>
        ExecuteAsync(sql, values, async (command, ct) =>
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(row(reader));
            }

            return rows;
        }, cancellationToken);

    /// <summary>
    /// Runs a statement with positional parameters (<c>$1</c>, <c>$2</c>, …) on a connection of the data source, or on
    /// the context's connection inside the transaction open on it.
    /// </summary>
    private async Task<T> ExecuteAsync<T>(
        string sql, object?[] values, Func<NpgsqlCommand, CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
    {
        if (_dataSource is not null)
        {
            await using var command = _dataSource.CreateCommand(sql);
            Bind(command, values);
            return await execute(command, cancellationToken);
        }

        var database = Context.Database;
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                sql, (NpgsqlConnection)database.GetDbConnection(), database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction);
            Bind(command, values);
            return await execute(command, cancellationToken);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static void Bind(NpgsqlCommand command, object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }

    /// <summary>What a statement that ends a run returns, for <see cref="PlatformMetrics"/>: the times come from the row, so both engines measure alike.</summary>
    private const string EndedColumns = "workflow, status, created_at, started_at, finished_at";

    private static EndedRun ReadEnded(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2),
        r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3), r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4));

    private static void RecordEnded(List<EndedRun> ended)
    {
        foreach (var run in ended)
        {
            var pending = run.StartedAt is { } started ? started - run.CreatedAt : run.FinishedAt - run.CreatedAt;
            var executing = run.StartedAt is { } s && run.FinishedAt is { } f ? f - s : (TimeSpan?)null;
            PlatformMetrics.RecordRunEnded(run.Workflow, run.Status, pending, executing);
        }
    }

    private sealed record EndedRun(string Workflow, string Status, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

    /// <summary>A text parameter that may be null (an untyped null leaves Postgres to guess, which <c>coalesce</c> cannot).</summary>
    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>A named parameter of an EF Core raw statement; null is SQL NULL.</summary>
    private static NpgsqlParameter Named(string name, object? value) => new(name, value ?? DBNull.Value);
}
