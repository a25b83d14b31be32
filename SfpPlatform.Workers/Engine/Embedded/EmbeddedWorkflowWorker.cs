using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary>
/// The embedded engine's worker: loops that claim runs with <c>FOR UPDATE SKIP LOCKED</c> (woken by
/// <c>LISTEN/NOTIFY</c>, polling as a fallback), hold them by a lease renewed by heartbeat, and run their steps in
/// order through the <see cref="StepExecutor"/>, resuming after the last completed step. A run whose worker vanished
/// is taken over once its lease expires; a newer run of the same concurrency group cancels the one in progress. Any
/// number of processes may run this. Each loop beats its <see cref="EngineProgress"/> after every claim attempt and
/// lease renewal, so a loop that stops doing either turns the Workers' readiness check unhealthy.
/// </summary>
internal sealed class EmbeddedWorkflowWorker(
    NpgsqlDataSource dataSource, [FromKeyedServices(StepExecutor.StoreKey)] WorkflowRunStore store, StepExecutor executor,
    IEnumerable<WorkflowDefinition> workflows, IOptions<WorkflowEngineOptions> options, EngineProgress progress, ILogger<EmbeddedWorkflowWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new("SfpPlatform");

    private readonly Dictionary<string, WorkflowDefinition> _workflows = workflows.ToDictionary(w => w.Name, StringComparer.Ordinal);
    private readonly WorkflowEngineOptions _options = options.Value;
    private readonly string _name = options.Value.EffectiveWorkerName;
    private readonly WakeSignal _wake = new();

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
        var names = _workflows.Keys.ToArray();
        progress.Register(owner, EngineProgress.StallLimit(_options.PollInterval, _options.Lease));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var run = await store.ClaimAsync(owner, _options.Lease, names, stoppingToken);
                progress.Beat(owner, busy: run is not null);
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
    private Task ListenAsync(CancellationToken stoppingToken) => RunNotifications.ListenAsync(
        dataSource, _wake.Set, _options.PollInterval, e => WorkflowLog.LoopFailed(logger, e, _name + "/listen"), stoppingToken);

    private async Task ExecuteRunAsync(ClaimedRun run, string owner, CancellationToken stoppingToken)
    {
        var definition = _workflows[run.Workflow];
        ActivityContext.TryParse(run.TraceParent, run.TraceState, out var parent);
        using var activity = Source.StartActivity($"workflow {run.Workflow}", ActivityKind.Consumer, parent);
        activity?.SetTag("sfp.run.id", run.Id);
        activity?.SetTag("sfp.run.attempt", run.Attempt);

        if (run.CancelRequested)
        {
            await store.FinishAsync(run.Id, owner, RunStatuses.Cancelled, "cancelled", stoppingToken);
            return;
        }

        // The lease covers the whole run; each renewal also says whether the run was asked to stop.
        await using var lease = new Lease().Keep(_options.Lease / 3, (_, ct) => RenewAsync(run.Id, owner, ct));
        var history = await store.StepHistoryAsync(run.Id, stoppingToken);
        foreach (var step in definition.Steps)
        {
            if (history.Succeeded.Contains(step.Name))
            {
                continue;
            }

            var attempt = history.Attempts.GetValueOrDefault(step.Name) + 1;
            if (attempt > step.Retry.Attempts)
            {
                await store.FinishAsync(run.Id, owner, RunStatuses.Failed,
                    $"step {step.Name}: all {step.Retry.Attempts} attempts used (the last worker vanished)", stoppingToken);
                activity?.SetTag("sfp.run.outcome", nameof(StepOutcomeKind.Failed));
                return;
            }

            var outcome = await executor.RunAsync(
                new StepAttempt(run.Id, run.Workflow, step, attempt, run.Input, ct => store.StartClaimedStepAsync(run.Id, owner, step.Name, attempt, ct)),
                lease, stoppingToken);
            if (outcome.Kind != StepOutcomeKind.Succeeded)
            {
                await EndAsync(run.Id, owner, step, attempt, outcome);
                activity?.SetTag("sfp.run.outcome", outcome.Kind.ToString());
                return;
            }
        }

        await store.FinishAsync(run.Id, owner, RunStatuses.Succeeded, null, stoppingToken);
        activity?.SetTag("sfp.run.outcome", nameof(StepOutcomeKind.Succeeded));
    }

    /// <summary>What an attempt that did not succeed means for the run, written only while this worker holds it.</summary>
    private async Task EndAsync(Guid runId, string owner, StepDefinition step, int attempt, StepOutcome outcome)
    {
        switch (outcome.Kind)
        {
            case StepOutcomeKind.Retry:
                await store.ReleaseAsync(runId, owner, step.Retry.BackoffBefore(attempt + 1, Random.Shared), outcome.RunError, CancellationToken.None);
                break;
            case StepOutcomeKind.Failed:
                await store.FinishAsync(runId, owner, RunStatuses.Failed, outcome.RunError, CancellationToken.None);
                break;
            case StepOutcomeKind.Cancelled:
                await store.FinishAsync(runId, owner, RunStatuses.Cancelled, "cancelled (or superseded by a newer run)", CancellationToken.None);
                break;
            case StepOutcomeKind.Released:
                // Shutting down: the run goes back at once, this attempt not counted against it.
                await store.ReleaseAsync(runId, owner, TimeSpan.Zero, null, CancellationToken.None);
                _wake.Set();
                break;
            case StepOutcomeKind.LeaseLost:
                // Another worker owns the run now: write nothing more.
                break;
            case StepOutcomeKind.Parked:
                // Waiting in the database, held by no worker: resumed by whoever ends the wait (or due at ResumeAt).
                if (await store.ParkAsync(runId, owner, outcome.ResumeAt, $"waiting: {outcome.Error}", CancellationToken.None) == RunStatuses.Queued)
                {
                    _wake.Set();
                }

                break;
        }
    }

    private async Task<LeaseRenewal> RenewAsync(Guid runId, string owner, CancellationToken cancellationToken)
    {
        try
        {
            var renewed = await store.RenewLeaseAsync(runId, owner, _options.Lease, cancellationToken);
            progress.Beat(owner, busy: true);
            return renewed switch
            {
                null => LeaseRenewal.Lost,
                true => LeaseRenewal.CancelRequested,
                false => LeaseRenewal.Held,
            };
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The next beat tries again; the lease outlives two missed beats.
            return LeaseRenewal.Failed;
        }
    }
}
