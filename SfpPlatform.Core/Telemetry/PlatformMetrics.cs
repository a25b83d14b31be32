using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SfpPlatform.Core.Telemetry;

/// <summary>
/// The platform's own instruments, under one meter (<see cref="MeterName"/>, which ServiceDefaults exports). Names follow
/// OpenTelemetry's semantic conventions where one exists (the CI/CD conventions for runs) and <c>sfp.*</c> otherwise.
/// The instruments are created once and every tag value is a constant or a string the caller already holds, so recording
/// costs no allocation on the intake and engine hot paths (the two- and three-tag <c>Add</c>/<c>Record</c> overloads take
/// their tags by value).
/// </summary>
public static class PlatformMetrics
{
    public const string MeterName = "SfpPlatform";

    // Attribute names: the CI/CD conventions' where they exist.
    public const string PipelineName = "cicd.pipeline.name";
    public const string PipelineResult = "cicd.pipeline.result";
    public const string PipelineRunState = "cicd.pipeline.run.state";
    public const string TaskName = "cicd.pipeline.task.name";
    public const string TaskResult = "cicd.pipeline.task.run.result";
    public const string ErrorType = "error.type";
    public const string Provider = "sfp.provider";
    public const string Event = "sfp.webhook.event";
    public const string Outcome = "sfp.outcome";
    public const string CacheResult = "sfp.cache.result";

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>sfp.webhook.deliveries</c>: deliveries by provider, event and outcome (routed, ignored, duplicate).</summary>
    public static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "sfp.webhook.deliveries", "{delivery}", "Webhook deliveries received, by provider, event and outcome.");

    /// <summary><c>sfp.webhook.intake.duration</c>: storing a delivery (and its run) until the answer, by provider and outcome.</summary>
    public static readonly Histogram<double> IntakeDuration = Meter.CreateHistogram(
        "sfp.webhook.intake.duration", "s", "Time to store a delivery and its run, by provider and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    /// <summary><c>cicd.pipeline.run.duration</c>: a run's time in a state (pending: queued; executing: running), by workflow and result.</summary>
    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram(
        "cicd.pipeline.run.duration", "s", "Duration of a pipeline run grouped by pipeline, state and result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    /// <summary><c>cicd.pipeline.run.errors</c>: runs that ended in failure, by workflow and error type.</summary>
    public static readonly Counter<long> RunErrors = Meter.CreateCounter<long>(
        "cicd.pipeline.run.errors", "{error}", "The number of errors encountered in pipeline runs.");

    /// <summary><c>sfp.workflow.step.duration</c>: a step attempt's duration, by workflow, step and result (the conventions have none for tasks).</summary>
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram(
        "sfp.workflow.step.duration", "s", "Duration of a step attempt, by workflow, step and result.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.25, 1, 5, 10, 30, 60, 120, 300, 600, 1800] });

    /// <summary><c>sfp.worker.slots.busy</c>: worker loops (or Hatchet slots) running a step now, in this process.</summary>
    public static readonly UpDownCounter<long> WorkerSlotsBusy = Meter.CreateUpDownCounter<long>(
        "sfp.worker.slots.busy", "{slot}", "Worker slots running a step now.");

    /// <summary><c>sfp.provider.token.mints</c>: provider tokens minted (GitHub installation tokens, Salesforce sessions).</summary>
    public static readonly Counter<long> TokenMints = Meter.CreateCounter<long>(
        "sfp.provider.token.mints", "{token}", "Provider access tokens minted, by provider.");

    /// <summary><c>sfp.provider.token.cache.lookups</c>: token cache lookups by result (hit, miss); the hit ratio is hits over lookups.</summary>
    public static readonly Counter<long> TokenCacheLookups = Meter.CreateCounter<long>(
        "sfp.provider.token.cache.lookups", "{lookup}", "Provider token cache lookups, by provider and result (hit or miss).");

    /// <summary><c>sfp.webhook.redelivery.recoveries</c>: deliveries recovered by asking the provider to redeliver, by provider and outcome.</summary>
    public static readonly Counter<long> RedeliveryRecoveries = Meter.CreateCounter<long>(
        "sfp.webhook.redelivery.recoveries", "{delivery}", "Missed deliveries recovered through the provider's redelivery, by provider and outcome.");

    /// <summary>Where the queue gauges read from: set once per process by whoever samples the database.</summary>
    private static volatile RunQueueSnapshot _queue = RunQueueSnapshot.Empty;

    static PlatformMetrics()
    {
        // cicd.pipeline.run.active and the queue's depth and age come from the database through a cached snapshot a
        // sampler refreshes on its own schedule: a scrape reads memory, never the database.
        Meter.CreateObservableUpDownCounter("cicd.pipeline.run.active", ObserveActive, "{run}",
            "The number of pipeline runs currently active in the system by state.");
        Meter.CreateObservableGauge("sfp.workflow.queue.depth", () => Sampled(q => q.Queued), "{run}",
            "Runs queued and due, waiting for a worker.");
        Meter.CreateObservableGauge("sfp.workflow.queue.oldest_age", () => Sampled(q => q.OldestQueuedAge.TotalSeconds), "s",
            "Age of the oldest queued run that is due.");
    }

    /// <summary>Publishes what the queue looks like now (the sampler calls it).</summary>
    public static void ObserveQueue(RunQueueSnapshot snapshot) => _queue = snapshot;

    public static void RecordDelivery(string provider, string eventName, string outcome, TimeSpan elapsed)
    {
        if (Deliveries.Enabled)
        {
            Deliveries.Add(1, new(Provider, provider), new(Event, eventName), new(Outcome, outcome));
        }

        if (IntakeDuration.Enabled)
        {
            IntakeDuration.Record(elapsed.TotalSeconds, new(Provider, provider), new(Outcome, outcome));
        }
    }

    /// <summary>A run ended: its pending and executing durations, and an error when it failed.</summary>
    public static void RecordRunEnded(string workflow, string status, TimeSpan? pending, TimeSpan? executing)
    {
        var result = RunResult(status);
        if (RunDuration.Enabled)
        {
            if (pending is { } queued)
            {
                RunDuration.Record(queued.TotalSeconds, new(PipelineName, workflow), new(PipelineRunState, "pending"), new(PipelineResult, result));
            }

            if (executing is { } running)
            {
                RunDuration.Record(running.TotalSeconds, new(PipelineName, workflow), new(PipelineRunState, "executing"), new(PipelineResult, result));
            }
        }

        if (result == "failure")
        {
            RunErrors.Add(1, new(PipelineName, workflow), new(ErrorType, "failure"));
        }
    }

    public static void RecordStep(string workflow, string step, string result, TimeSpan elapsed) =>
        StepDuration.Record(elapsed.TotalSeconds, new(PipelineName, workflow), new(TaskName, step), new(TaskResult, result));

    public static void RecordTokenLookup(string provider, bool hit) =>
        TokenCacheLookups.Add(1, new(Provider, provider), new(CacheResult, hit ? "hit" : "miss"));

    public static void RecordTokenMint(string provider) => TokenMints.Add(1, new KeyValuePair<string, object?>(Provider, provider));

    /// <summary>For the delivery recovery: one missed delivery recovered (<paramref name="outcome"/> e.g. <c>redelivered</c>, <c>failed</c>).</summary>
    public static void RecordRedeliveryRecovery(string provider, string outcome) =>
        RedeliveryRecoveries.Add(1, new(Provider, provider), new(Outcome, outcome));

    /// <summary>A run status as the conventions' <c>cicd.pipeline.result</c>.</summary>
    public static string RunResult(string status) => status switch
    {
        Contracts.Runs.RunStatuses.Succeeded => "success",
        Contracts.Runs.RunStatuses.Failed => "failure",
        Contracts.Runs.RunStatuses.Cancelled => "cancellation",
        _ => status,
    };

    private static IEnumerable<Measurement<long>> ObserveActive()
    {
        var queue = _queue;
        if (queue.SampledAt is null)
        {
            return [];
        }

        return
        [
            new(queue.Queued, new KeyValuePair<string, object?>(PipelineRunState, "pending")),
            new(queue.Running, new KeyValuePair<string, object?>(PipelineRunState, "executing")),
        ];
    }

    private static IEnumerable<Measurement<T>> Sampled<T>(Func<RunQueueSnapshot, T> value) where T : struct
    {
        var queue = _queue;
        return queue.SampledAt is null ? [] : [new Measurement<T>(value(queue))];
    }
}

/// <summary>The run queue as sampled from the database at <paramref name="SampledAt"/>.</summary>
public sealed record RunQueueSnapshot(long Queued, long Running, TimeSpan OldestQueuedAge, DateTimeOffset? SampledAt)
{
    public static readonly RunQueueSnapshot Empty = new(0, 0, TimeSpan.Zero, null);
}

/// <summary>Times an operation without allocating (a <see cref="Stopwatch"/> timestamp).</summary>
public readonly record struct MetricTimer(long Started)
{
    public static MetricTimer Start() => new(Stopwatch.GetTimestamp());

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(Started);
}
