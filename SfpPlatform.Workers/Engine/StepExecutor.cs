using System.Diagnostics;
using System.Text.Json;
using SfpPlatform.Core.Telemetry;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Workers.Engine;

/// <summary>One attempt of one step of a run, as an engine hands it to the <see cref="StepExecutor"/>.</summary>
/// <param name="Attempt">1 for the step's first attempt.</param>
/// <param name="Start">Records the attempt's start the engine's way, returning its <c>workflow_step_runs</c> id.</param>
internal sealed record StepAttempt(
    Guid RunId, string Workflow, StepDefinition Step, int Attempt, JsonElement Input, Func<CancellationToken, Task<long>> Start)
{
    /// <summary>
    /// The trace context the step continues when it has no local parent (a Hatchet task, carrying the run's trace in its
    /// metadata); the step's span is then a consumer span of it. Without it, the step's span is a child of the current one.
    /// </summary>
    public ActivityContext? RemoteParent { get; init; }

    /// <summary>Tags the engine adds to the step's span.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Tags { get; init; } = [];

    /// <summary>Records the attempt's success the engine's way (the embedded engine ends the run with its last step); null: the step's end alone.</summary>
    public Func<long, CancellationToken, Task>? EndSucceeded { get; init; }
}

/// <summary>How an attempt ended, for the run.</summary>
internal enum StepOutcomeKind
{
    Succeeded,

    /// <summary>It failed (or timed out) and has attempts left.</summary>
    Retry,

    /// <summary>It failed for good: a non-retryable error, or the last attempt.</summary>
    Failed,

    /// <summary>The run was cancelled, or superseded by a newer run of its concurrency group.</summary>
    Cancelled,

    /// <summary>This worker is shutting down: the attempt is given back, not counted.</summary>
    Released,

    /// <summary>Another worker holds the run now: nothing more is written about it here.</summary>
    LeaseLost,

    /// <summary>The step waits for something outside the run (<see cref="StepWaitingException"/>): the run is parked, not counted as an attempt.</summary>
    Parked,
}

/// <summary>The outcome of an attempt of step <paramref name="Step"/>; <paramref name="Error"/> for a retry or a failure.</summary>
internal sealed record StepOutcome(StepOutcomeKind Kind, long StepRunId, string Step, string? Error = null)
{
    /// <summary>When a parked run is due again by itself (a timer); null: when something resumes it.</summary>
    public DateTimeOffset? ResumeAt { get; init; }

    /// <summary>The error as the run records it: which step, and what went wrong.</summary>
    public string? RunError => Error is null ? null : WorkflowRunStore.Clip($"step {Step}: {Error}");
}

/// <summary>
/// Runs one step attempt for either engine: records its start, gives the step a DI scope and a <see cref="StepContext"/>
/// whose log lines go to <c>workflow_logs</c>, stops it on timeout, on a cancel request or lost lease, or on shutdown,
/// classifies how it ended and records the attempt's end. What follows for the run (release, finish, Hatchet's events)
/// is the engine's.
/// </summary>
internal sealed class StepExecutor(IServiceScopeFactory scopes, [FromKeyedServices(StepExecutor.StoreKey)] WorkflowRunStore store, ILogger<StepExecutor> logger)
{
    /// <summary>The key of the workers' run store (on their own data source) in the container.</summary>
    public const string StoreKey = "workers";

    private static readonly ActivitySource Source = new("SfpPlatform");

    public async Task<StepOutcome> RunAsync(StepAttempt attempt, Lease lease, CancellationToken stoppingToken)
    {
        var timer = MetricTimer.Start();
        PlatformMetrics.WorkerSlotsBusy.Add(1);
        try
        {
            var outcome = await RunAttemptAsync(attempt, lease, stoppingToken);
            if (outcome.Kind is not (StepOutcomeKind.Released or StepOutcomeKind.LeaseLost))
            {
                PlatformMetrics.RecordStep(attempt.Workflow, attempt.Step.Name, StepResult(outcome.Kind), timer.Elapsed);
            }

            return outcome;
        }
        finally
        {
            PlatformMetrics.WorkerSlotsBusy.Add(-1);
        }
    }

    /// <summary>An attempt's end as the CI/CD conventions' result values.</summary>
    private static string StepResult(StepOutcomeKind kind) => kind switch
    {
        StepOutcomeKind.Succeeded => "success",
        StepOutcomeKind.Cancelled => "cancellation",
        _ => "failure",
    };

    private async Task<StepOutcome> RunAttemptAsync(StepAttempt attempt, Lease lease, CancellationToken stoppingToken)
    {
        var step = attempt.Step;
        using var activity = attempt.RemoteParent is { } parent
            ? Source.StartActivity($"step {step.Name}", ActivityKind.Consumer, parent, attempt.Tags)
            : Source.StartActivity($"step {step.Name}", ActivityKind.Internal, default(ActivityContext), attempt.Tags);
        activity?.SetTag("sfp.step.attempt", attempt.Attempt);
        var stepRunId = await attempt.Start(stoppingToken);
        using var timeout = new CancellationTokenSource(step.Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(lease.Token, stoppingToken, timeout.Token);

        Exception? failure = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var context = new StepContext(attempt.RunId, attempt.Workflow, step.Name, attempt.Attempt, attempt.Input, scope.ServiceProvider,
                line => store.AppendLogAsync(attempt.RunId, step.Name, line, CancellationToken.None), linked.Token);
            await step.Run(context);
            linked.Token.ThrowIfCancellationRequested();
        }
        catch (Exception e)
        {
            failure = e;
        }

        // The attempt's end is recorded whatever stops this process now: a half-written attempt would be counted again.
        if (failure is null)
        {
            await (attempt.EndSucceeded?.Invoke(stepRunId, CancellationToken.None) ?? store.EndStepAsync(stepRunId, WorkflowStepStatus.Succeeded, null, CancellationToken.None));
            WorkflowLog.Step(logger, attempt.RunId, attempt.Workflow, step.Name, attempt.Attempt, WorkflowStepStatus.Succeeded);
            activity?.SetStatus(ActivityStatusCode.Ok);
            return new StepOutcome(StepOutcomeKind.Succeeded, stepRunId, step.Name);
        }

        if (lease.Lost)
        {
            return new StepOutcome(StepOutcomeKind.LeaseLost, stepRunId, step.Name);
        }

        if (lease.CancelRequested)
        {
            await store.EndStepAsync(stepRunId, WorkflowStepStatus.Cancelled, "cancelled", CancellationToken.None);
            return new StepOutcome(StepOutcomeKind.Cancelled, stepRunId, step.Name);
        }

        if (failure is StepWaitingException waiting)
        {
            await store.EndStepAsync(stepRunId, WorkflowStepStatus.Waiting, WorkflowRunStore.Clip(waiting.Message), CancellationToken.None);
            WorkflowLog.Step(logger, attempt.RunId, attempt.Workflow, step.Name, attempt.Attempt, WorkflowStepStatus.Waiting);
            return new StepOutcome(StepOutcomeKind.Parked, stepRunId, step.Name, waiting.Message) { ResumeAt = waiting.ResumeAt };
        }

        var timedOut = timeout.IsCancellationRequested;
        if (stoppingToken.IsCancellationRequested && !timedOut)
        {
            await store.EndStepAsync(stepRunId, WorkflowStepStatus.Released, "worker shutting down", CancellationToken.None);
            return new StepOutcome(StepOutcomeKind.Released, stepRunId, step.Name);
        }

        var error = WorkflowRunStore.Clip(timedOut ? $"timed out after {step.Timeout}" : $"{failure.GetType().Name}: {failure.Message}");
        await store.EndStepAsync(stepRunId, timedOut ? WorkflowStepStatus.TimedOut : WorkflowStepStatus.Failed, error, CancellationToken.None);
        WorkflowLog.StepFailed(logger, attempt.RunId, attempt.Workflow, step.Name, attempt.Attempt, error);
        activity?.SetStatus(ActivityStatusCode.Error, error);

        var retry = (timedOut || step.Retry.IsRetryable(failure)) && attempt.Attempt < step.Retry.Attempts;
        return new StepOutcome(retry ? StepOutcomeKind.Retry : StepOutcomeKind.Failed, stepRunId, step.Name, error);
    }
}
