using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// A request to run a workflow: its name, its input, and the metadata the engine keeps with the run — the W3C
/// trace context of the caller, an idempotency key (a second trigger with the same key adds no run) and a
/// concurrency key (runs sharing one are serialised; a newer one supersedes the older).
/// </summary>
public sealed record WorkflowTrigger(string Workflow, JsonElement Input)
{
    public string? IdempotencyKey { get; init; }

    public string? ConcurrencyKey { get; init; }

    public string? ProjectKey { get; init; }

    /// <summary>The webhook delivery that caused the run, if any.</summary>
    public Guid? DeliveryId { get; init; }

    /// <summary>The run this one replays, if any.</summary>
    public Guid? ReplayOfRunId { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the caller (defaults to the current activity's).</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }
}
