using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SfpPlatform.Core.Workflows;

/// <summary>Settings of the embedded engine's workers (<c>Workflows</c> section).</summary>
public sealed class WorkflowEngineOptions
{
    public const string SectionName = "Workflows";

    /// <summary>Concurrent worker loops in this process.</summary>
    public int Loops { get; set; } = 4;

    /// <summary>How long a claim holds without a heartbeat; a vanished worker's run is taken over after this.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The polling fallback when no NOTIFY arrives.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Names this process in leases and step records (default: host name and process id).</summary>
    public string? WorkerName { get; set; }
}

/// <summary>
/// The embedded engine's worker: loops that claim runs with <c>FOR UPDATE SKIP LOCKED</c> (woken by
/// <c>LISTEN/NOTIFY</c>, polling as a fallback), hold them by a lease renewed by heartbeat, and run their steps in
/// order, resuming after the last completed step. A run whose worker vanished is taken over once its lease expires;
/// a newer run of the same concurrency group cancels the one in progress. Any number of processes may run this.
/// </summary>
public sealed class EmbeddedWorkflowWorker(
    NpgsqlDataSource dataSource, IEnumerable<WorkflowDefinition> workflows, IServiceScopeFactory scopes,
    IOptions<WorkflowEngineOptions> options, ILogger<EmbeddedWorkflowWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("SfpPlatform");

    private readonly Dictionary<string, WorkflowDefinition> _workflows = workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);
    private readonly WorkflowEngineOptions _options = options.Value;
    private readonly string _name = options.Value.WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}";
    private readonly WakeSignal _wake = new();
    private readonly WorkflowRecords _records = new(dataSource);

    private sealed record ClaimedRun(Guid Id, string Workflow, JsonElement Input, int Attempt, string? TraceParent, string? TraceState, bool CancelRequested);

    private enum StepOutcome { Succeeded, Retry, Failed, Cancelled, Released, LeaseLost }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workflows.Count == 0)
        {
            return;
        }

        var loops = Enumerable.Range(0, Math.Max(1, _options.Loops)).Select(i => LoopAsync($"{_name}/{i}", stoppingToken));
        await Task.WhenAll(loops.Append(ListenAsync(stoppingToken)));
    }

    private async Task LoopAsync(string owner, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await ClaimAsync(owner, stoppingToken);
                if (run is null)
                {
                    await _wake.WaitAsync(_options.PollInterval, stoppingToken);
                    continue;
                }

                await ExecuteRunAsync(run, owner, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                WorkflowLog.LoopFailed(logger, e, owner);
                await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Wakes the loops on NOTIFY; reconnects after a failure (the loops keep polling meanwhile).</summary>
    private Task ListenAsync(CancellationToken stoppingToken) => WorkflowRunNotifications.ListenAsync(
        dataSource, _wake.Set, _options.PollInterval, e => WorkflowLog.LoopFailed(logger, e, _name + "/listen"), stoppingToken);

    private async Task<ClaimedRun?> ClaimAsync(string owner, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            WITH expired AS (
                -- A run whose worker vanished: taken over first (rare; its own small partial index).
                SELECT c.id FROM workflow_runs c
                WHERE c.status = 'running' AND c.lease_expires_at < now() AND c.workflow = ANY($3)
                ORDER BY c.lease_expires_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED),
            due AS (
                -- Else the oldest due queued run, walking ix_workflow_runs_claimable in order (no sort of the backlog).
                SELECT c.id FROM workflow_runs c
                WHERE c.status = 'queued' AND c.next_attempt_at <= now() AND c.workflow = ANY($3)
                  AND (c.concurrency_key IS NULL OR NOT EXISTS (
                        SELECT 1 FROM workflow_runs o
                        WHERE o.concurrency_key = c.concurrency_key AND o.id <> c.id AND o.status = 'running' AND o.lease_expires_at >= now()))
                ORDER BY c.next_attempt_at, c.id
                LIMIT 1
                FOR UPDATE SKIP LOCKED),
            candidate AS (
                SELECT id FROM expired
                UNION ALL
                SELECT id FROM due WHERE NOT EXISTS (SELECT 1 FROM expired)
                LIMIT 1)
            UPDATE workflow_runs r
            SET status = 'running', lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2), attempt = r.attempt + 1,
                started_at = coalesce(r.started_at, now()), updated_at = now()
            FROM candidate
            WHERE r.id = candidate.id
            RETURNING r.id, r.workflow, r.input::text, r.attempt, r.trace_parent, r.trace_state, r.cancel_requested
            """, owner, _options.Lease.TotalSeconds, _workflows.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        using var input = JsonDocument.Parse(reader.GetString(2));
        return new ClaimedRun(reader.GetGuid(0), reader.GetString(1), input.RootElement.Clone(), reader.GetInt32(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetBoolean(6));
    }

    private async Task ExecuteRunAsync(ClaimedRun run, string owner, CancellationToken stoppingToken)
    {
        var definition = _workflows[run.Workflow];
        ActivityContext.TryParse(run.TraceParent, run.TraceState, out var parent);
        using var activity = Source.StartActivity($"workflow {run.Workflow}", ActivityKind.Consumer, parent);
        activity?.SetTag("sfp.run.id", run.Id);
        activity?.SetTag("sfp.run.attempt", run.Attempt);

        if (run.CancelRequested)
        {
            await FinishAsync(run.Id, owner, WorkflowRunStatus.Cancelled, "cancelled", stoppingToken);
            return;
        }

        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var heartbeatStop = new CancellationTokenSource();
        var lease = new LeaseState();
        var heartbeat = HeartbeatAsync(run.Id, owner, lease, runCancellation, heartbeatStop.Token);
        try
        {
            var history = await StepHistoryAsync(run.Id, stoppingToken);
            foreach (var step in definition.Steps)
            {
                if (history.Succeeded.Contains(step.Name))
                {
                    continue;
                }

                var attempt = history.Attempts.GetValueOrDefault(step.Name) + 1;
                var outcome = attempt > step.Retry.Attempts
                    ? await ExhaustedAsync(run, owner, step, stoppingToken)
                    : await RunStepAsync(run, owner, step, attempt, lease, runCancellation.Token, stoppingToken);
                if (outcome != StepOutcome.Succeeded)
                {
                    activity?.SetTag("sfp.run.outcome", outcome.ToString());
                    return;
                }
            }

            await FinishAsync(run.Id, owner, WorkflowRunStatus.Succeeded, null, stoppingToken);
            activity?.SetTag("sfp.run.outcome", "Succeeded");
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private async Task<StepOutcome> RunStepAsync(
        ClaimedRun run, string owner, StepDefinition step, int attempt, LeaseState lease, CancellationToken runToken, CancellationToken stoppingToken)
    {
        using var activity = Source.StartActivity($"step {step.Name}");
        activity?.SetTag("sfp.step.attempt", attempt);
        var stepRunId = await StartStepAsync(run.Id, owner, step.Name, attempt, stoppingToken);
        using var timeout = new CancellationTokenSource(step.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, timeout.Token);
        await using var scope = scopes.CreateAsyncScope();
        var context = new StepContext(run.Id, run.Workflow, step.Name, attempt, run.Input, scope.ServiceProvider,
            line => _records.AppendLogAsync(run.Id, step.Name, line, CancellationToken.None), linked.Token);

        Exception? failure = null;
        try
        {
            await step.Run(context);
            linked.Token.ThrowIfCancellationRequested();
        }
        catch (Exception e)
        {
            failure = e;
        }

        if (failure is null)
        {
            await _records.EndStepAsync(stepRunId, "succeeded", null, stoppingToken);
            WorkflowLog.Step(logger, run.Id, run.Workflow, step.Name, attempt, "succeeded");
            return StepOutcome.Succeeded;
        }

        if (lease.Lost)
        {
            // Another worker owns the run now: write nothing more.
            return StepOutcome.LeaseLost;
        }

        if (lease.CancelRequested)
        {
            await _records.EndStepAsync(stepRunId, "cancelled", "cancelled", CancellationToken.None);
            await FinishAsync(run.Id, owner, WorkflowRunStatus.Cancelled, "cancelled (or superseded by a newer run)", CancellationToken.None);
            return StepOutcome.Cancelled;
        }

        if (stoppingToken.IsCancellationRequested)
        {
            // This process is shutting down: give the run back at once, this attempt not counted against it.
            await _records.EndStepAsync(stepRunId, "released", "worker shutting down", CancellationToken.None);
            await ReleaseAsync(run.Id, owner, TimeSpan.Zero, null, CancellationToken.None);
            return StepOutcome.Released;
        }

        var timedOut = timeout.IsCancellationRequested;
        var error = WorkflowRecords.Error(failure, timedOut, step.Timeout);
        await _records.EndStepAsync(stepRunId, timedOut ? "timed-out" : "failed", error, stoppingToken);
        WorkflowLog.StepFailed(logger, run.Id, run.Workflow, step.Name, attempt, error);
        activity?.SetStatus(ActivityStatusCode.Error, error);

        if ((timedOut || step.Retry.IsRetryable(failure)) && attempt < step.Retry.Attempts)
        {
            await ReleaseAsync(run.Id, owner, step.Retry.BackoffBefore(attempt + 1, Random.Shared), $"step {step.Name}: {error}", stoppingToken);
            return StepOutcome.Retry;
        }

        await FinishAsync(run.Id, owner, WorkflowRunStatus.Failed, $"step {step.Name}: {error}", stoppingToken);
        return StepOutcome.Failed;
    }

    private async Task<StepOutcome> ExhaustedAsync(ClaimedRun run, string owner, StepDefinition step, CancellationToken cancellationToken)
    {
        await FinishAsync(run.Id, owner, WorkflowRunStatus.Failed,
            $"step {step.Name}: all {step.Retry.Attempts} attempts used (the last worker vanished)", cancellationToken);
        return StepOutcome.Failed;
    }

    /// <summary>Renews the lease every third of its length; notices cancellation requests and a lost lease.</summary>
    private async Task HeartbeatAsync(Guid runId, string owner, LeaseState lease, CancellationTokenSource runCancellation, CancellationToken stop)
    {
        var interval = _options.Lease / 3;
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(interval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await using var command = Command("""
                    UPDATE workflow_runs SET lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
                    WHERE id = $1 AND lease_owner = $2 AND status = 'running'
                    RETURNING cancel_requested
                    """, runId, owner, _options.Lease.TotalSeconds);
                var result = await command.ExecuteScalarAsync(stop);
                if (result is null)
                {
                    lease.Lost = true;
                    await runCancellation.CancelAsync();
                    return;
                }

                if ((bool)result)
                {
                    lease.CancelRequested = true;
                    await runCancellation.CancelAsync();
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The next beat tries again; the lease outlives two missed beats.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<(HashSet<string> Succeeded, Dictionary<string, int> Attempts)> StepHistoryAsync(Guid runId, CancellationToken cancellationToken)
    {
        // Attempts left 'running' belong to a worker that vanished: they count, as abandoned.
        await using (var abandon = Command(
            "UPDATE workflow_step_runs SET status = 'abandoned', finished_at = now(), error = 'the worker vanished' WHERE run_id = $1 AND status = 'running'",
            runId))
        {
            await abandon.ExecuteNonQueryAsync(cancellationToken);
        }

        var succeeded = new HashSet<string>(StringComparer.Ordinal);
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var command = Command(
            "SELECT step, status FROM workflow_step_runs WHERE run_id = $1 AND status NOT IN ('released', 'cancelled')", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var step = reader.GetString(0);
            if (reader.GetString(1) == "succeeded")
            {
                succeeded.Add(step);
            }

            attempts[step] = attempts.GetValueOrDefault(step) + 1;
        }

        return (succeeded, attempts);
    }

    private async Task<long> StartStepAsync(Guid runId, string owner, string step, int attempt, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            WITH current AS (UPDATE workflow_runs SET current_step = $2, updated_at = now() WHERE id = $1 AND lease_owner = $4)
            INSERT INTO workflow_step_runs (run_id, step, attempt, status, worker, started_at)
            VALUES ($1, $2, $3, 'running', $4, now()) RETURNING id
            """, runId, step, attempt, owner);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Ends the run, if this worker still holds it.</summary>
    private async Task FinishAsync(Guid runId, string owner, string status, string? error, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE workflow_runs SET status = $3, error = $4, finished_at = now(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                current_step = CASE WHEN $3 = 'succeeded' THEN NULL ELSE current_step END
            WHERE id = $1 AND lease_owner = $2
            """, runId, owner, status, error);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Puts the run back in the queue, due after <paramref name="delay"/> (a retry's backoff, or at once).</summary>
    private async Task ReleaseAsync(Guid runId, string owner, TimeSpan delay, string? error, CancellationToken cancellationToken)
    {
        await using var command = Command("""
            UPDATE workflow_runs SET status = 'queued', next_attempt_at = now() + make_interval(secs => $3), error = coalesce($4, error),
                lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE id = $1 AND lease_owner = $2
            """, runId, owner, delay.TotalSeconds, new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (delay == TimeSpan.Zero)
        {
            _wake.Set();
        }
    }

    private NpgsqlCommand Command(string sql, params object?[] values) => _records.Command(sql, values);

    private sealed class LeaseState
    {
        public volatile bool Lost;
        public volatile bool CancelRequested;
    }
}
