using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary>
/// The embedded engine's worker: one loop claims runs in batches with <c>FOR UPDATE SKIP LOCKED</c>, for as many
/// executor loops as are idle (woken by <c>LISTEN/NOTIFY</c>, polling as a fallback); the executor loops hold them by
/// a lease renewed by heartbeat, and run their steps in order through the <see cref="StepExecutor"/>, resuming after the last completed step. A run whose worker vanished
/// is taken over once its lease expires; a newer run of the same concurrency group cancels the one in progress. Any
/// number of processes may run this. The claim loop beats its <see cref="EngineProgress"/> after every claim attempt
/// (and once per poll interval while every executor is busy), so a claim loop that stops turns the Workers' readiness
/// check unhealthy; busy slots are the executors not idle.
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

        // Executor loop i holds its runs as "{name}/{i}"; it is in the idle queue exactly while it waits for a run.
        var loops = Enumerable.Range(0, Math.Max(1, _options.Loops))
            .Select(i => (Owner: $"{_name}/{i}", Runs: Channel.CreateBounded<ClaimedRun>(1))).ToArray();
        var idle = new ConcurrentQueue<int>(Enumerable.Range(0, loops.Length));
        var idleCount = new SemaphoreSlim(loops.Length, loops.Length);
        var executors = loops.Select((loop, i) => ExecuteClaimedAsync(loop.Owner, loop.Runs.Reader, () =>
        {
            idle.Enqueue(i);
            idleCount.Release();
        }, stoppingToken));
        await Task.WhenAll(executors.Append(ClaimLoopAsync(loops, idle, idleCount, stoppingToken)).Append(ListenAsync(stoppingToken)));
    }

    /// <summary>
    /// The one loop that claims: for every idle executor loop at once, in one statement. Only it waits for wake-ups,
    /// so a notification costs one claim, not one per loop. It takes the next signal before claiming, so a run enqueued
    /// during the claim wakes it again; after a full batch it claims again at once (more may be waiting).
    /// </summary>
    private async Task ClaimLoopAsync(
        (string Owner, Channel<ClaimedRun> Runs)[] loops, ConcurrentQueue<int> idle, SemaphoreSlim idleCount, CancellationToken stoppingToken)
    {
        var names = _workflows.Keys.ToArray();
        var firstSteps = names.Select(n => (string?)_workflows[n].Steps[0].Name).ToArray();
        var byOwner = loops.Select((loop, i) => (loop.Owner, i)).ToDictionary(l => l.Owner, l => l.i, StringComparer.Ordinal);
        var taken = new List<int>(loops.Length);
        var claimLoop = _name + "/claim";
        progress.Register(claimLoop, EngineProgress.StallLimit(_options.PollInterval, _options.Lease));
        progress.CountBusySlots(() => loops.Length - idleCount.CurrentCount);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Every executor busy is progress too: the loop beats once per poll interval while it waits for one.
                if (!await idleCount.WaitAsync(_options.PollInterval, stoppingToken))
                {
                    progress.Beat(claimLoop);
                    continue;
                }

                do
                {
                    idle.TryDequeue(out var i);
                    taken.Add(i);
                }
                while (taken.Count < loops.Length && idleCount.Wait(0));

                var signal = _wake.Next;
                var claimed = await store.ClaimBatchAsync([.. taken.Select(i => loops[i].Owner)], _options.Lease, names, firstSteps, stoppingToken);
                progress.Beat(claimLoop);
                foreach (var (run, owner) in claimed)
                {
                    var i = byOwner[owner];
                    taken.Remove(i);
                    loops[i].Runs.Writer.TryWrite(run);
                }

                // Fewer first claims than idle executors: the queue is drained (for now), so the next claim waits for a
                // wake-up rather than asking again at once for nothing (the signal was taken before this claim). A batch
                // with a taken-over run (or a retry) may have left due runs behind (takeovers never share a batch with
                // them): claim again at once.
                var drained = taken.Count > 0 && claimed.TrueForAll(c => c.Run.Attempt == 1);
                GiveBack(taken, idle, idleCount);
                if (drained)
                {
                    await WakeSignal.WaitAsync(signal, _options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                GiveBack(taken, idle, idleCount);
                WorkflowLog.LoopFailed(logger, e, _name + "/claim");
                await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        foreach (var loop in loops)
        {
            loop.Runs.Writer.TryComplete();
        }

        static void GiveBack(List<int> taken, ConcurrentQueue<int> idle, SemaphoreSlim idleCount)
        {
            foreach (var i in taken)
            {
                idle.Enqueue(i);
                idleCount.Release();
            }

            taken.Clear();
        }
    }

    /// <summary>An executor loop: runs each run claimed for it, then reports itself idle again.</summary>
    private async Task ExecuteClaimedAsync(string owner, ChannelReader<ClaimedRun> runs, Action idleAgain, CancellationToken stoppingToken)
    {
        await foreach (var run in runs.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await ExecuteRunAsync(run, owner, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down mid-run: the lease expires and another worker takes the run over.
            }
            catch (Exception e)
            {
                WorkflowLog.LoopFailed(logger, e, owner);
                await Task.Delay(_options.PollInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                idleAgain();
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
        var history = await store.StepHistoryAsync(run, stoppingToken);
        // The claim started the first step's first attempt (once); the last step's success ends the run in the same statement.
        var started = run.FirstStepRunId;
        var finished = false;
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

            var startedByClaim = step == definition.Steps[0] && attempt == 1 ? started : null;
            started = null;
            var last = step == definition.Steps[^1];
            var outcome = await executor.RunAsync(
                new StepAttempt(run.Id, run.Workflow, step, attempt, run.Input, ct => startedByClaim is { } id
                    ? Task.FromResult(id)
                    : store.StartClaimedStepAsync(run.Id, owner, step.Name, attempt, ct))
                {
                    EndSucceeded = last ? (id, ct) => store.FinishSucceededAsync(run.Id, owner, id, ct) : null,
                },
                lease, stoppingToken);
            if (outcome.Kind != StepOutcomeKind.Succeeded)
            {
                await EndAsync(run.Id, owner, step, attempt, outcome);
                activity?.SetTag("sfp.run.outcome", outcome.Kind.ToString());
                return;
            }

            finished = last;
        }

        if (!finished)
        {
            // Every step had succeeded before this claim (the last worker vanished before it ended the run).
            await store.FinishAsync(run.Id, owner, RunStatuses.Succeeded, null, stoppingToken);
        }

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
            return await store.RenewLeaseAsync(runId, owner, _options.Lease, cancellationToken) switch
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
