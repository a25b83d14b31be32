namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>The additional metadata the platform gives each Hatchet run.</summary>
public static class HatchetMetadata
{
    public const string RunId = "sfp_run_id";
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string IdempotencyKey = "sfp_idempotency_key";
    public const string ConcurrencyKey = "sfp_concurrency_key";
}
