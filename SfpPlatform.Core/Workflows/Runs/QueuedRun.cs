namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>A queued run the relay hands to an external engine.</summary>
public sealed record QueuedRun(
    Guid Id, string Workflow, string Input, string? IdempotencyKey, string? ConcurrencyKey, string? TraceParent, string? TraceState);
