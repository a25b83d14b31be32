using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>A workflow: a name and its steps, run in order. A run resumes after its last completed step.</summary>
public sealed class WorkflowDefinition(string name, IReadOnlyList<StepDefinition> steps)
{
    public string Name { get; } = name;

    public IReadOnlyList<StepDefinition> Steps { get; } = steps.Count > 0
        ? steps
        : throw new ArgumentException("A workflow has at least one step.", nameof(steps));
}

/// <summary>One step: what it does, how often and how long it may try.</summary>
public sealed record StepDefinition(string Name, Func<StepContext, Task> Run)
{
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Attempts (the first included) and exponential backoff with jitter between them. Exceptions of the
/// <see cref="NonRetryable"/> types (and <see cref="NonRetryableStepException"/>) fail the run at once.
/// </summary>
public sealed record RetryPolicy(int Attempts, TimeSpan InitialBackoff, TimeSpan MaxBackoff, double Jitter = 0.2)
{
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));

    public static readonly RetryPolicy None = new(1, TimeSpan.Zero, TimeSpan.Zero, 0);

    public IReadOnlyList<Type> NonRetryable { get; init; } = [];

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2, 3, ...): initial × 2^(n-2), capped, ± jitter.</summary>
    public TimeSpan BackoffBefore(int nextAttempt, Random random)
    {
        var exponential = InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Max(0, nextAttempt - 2));
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        var jittered = capped * (1 + (Jitter * ((random.NextDouble() * 2) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }

    public bool IsRetryable(Exception exception) =>
        exception is not NonRetryableStepException && !NonRetryable.Any(t => t.IsInstanceOfType(exception));
}

/// <summary>A failure no retry can mend (bad input, a refused permission): the run fails at once.</summary>
public sealed class NonRetryableStepException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a running step sees: its run, input, attempt, services, a log, and the token that stops it.</summary>
public sealed class StepContext(
    Guid runId, string workflow, string step, int attempt, JsonElement input, IServiceProvider services,
    Func<string, Task> log, CancellationToken cancellationToken)
{
    public Guid RunId { get; } = runId;

    public string Workflow { get; } = workflow;

    public string Step { get; } = step;

    /// <summary>1 for the first attempt of this step.</summary>
    public int Attempt { get; } = attempt;

    public JsonElement Input { get; } = input;

    public IServiceProvider Services { get; } = services;

    /// <summary>Cancelled on timeout, on cancellation of the run (or a newer run of its concurrency group), on shutdown.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Appends a line to the run's persisted log.</summary>
    public Task LogAsync(string line) => log(line);
}

/// <summary>The engine's view of one run.</summary>
public sealed record WorkflowRunState(
    Guid Id, string Workflow, string Status, int Attempt, string? CurrentStep, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// The engine contract: trigger (joining the caller's transaction where the engine can), cancel, status. The
/// embedded engine runs on Postgres; Hatchet implements the same contract.
/// </summary>
public interface IWorkflowEngine
{
    /// <summary>Enqueues a run; null when a run with the same idempotency key exists.</summary>
    Task<Guid?> TriggerAsync(WorkflowTrigger trigger, CancellationToken cancellationToken);

    /// <summary>Cancels a queued run, or asks a running one to stop; false when it had already finished.</summary>
    Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken);

    Task<WorkflowRunState?> StatusAsync(Guid runId, CancellationToken cancellationToken);
}

/// <summary>
/// Thrown by a step that must wait for something outside the run (an approval, a lock, a timer): the engine parks the
/// run in the database — no worker holds it, nothing waits in memory — until it is resumed
/// (<see cref="Runs.WorkflowRunStore.ResumeAsync"/>) or <see cref="ResumeAt"/> comes; then the step runs again from its
/// start, so it must pick up where the durable state says it stands. The parked attempt does not count as an attempt.
/// </summary>
public sealed class StepWaitingException(string reason, DateTimeOffset? resumeAt = null) : Exception(reason)
{
    public DateTimeOffset? ResumeAt { get; } = resumeAt;
}
