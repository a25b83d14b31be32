using System.Text.Json;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>One run of a workflow, as the engine records it.</summary>
public sealed class WorkflowRun
{
    public Guid Id { get; set; }

    public required string Workflow { get; set; }

    /// <summary>One of <see cref="RunStatuses"/>.</summary>
    public required string Status { get; set; }

    public required JsonDocument Input { get; set; }

    public string? IdempotencyKey { get; set; }

    public string? ConcurrencyKey { get; set; }

    public string? ProjectKey { get; set; }

    public Guid? DeliveryId { get; set; }

    public WebhookDelivery? Delivery { get; set; }

    public Guid? ReplayOfRunId { get; set; }

    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How many times a worker has claimed the run.</summary>
    public int Attempt { get; set; }

    /// <summary>When the run may next be claimed (a retry waits out its backoff).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>The worker loop holding the run, while it runs.</summary>
    public string? LeaseOwner { get; set; }

    /// <summary>Renewed by the holder's heartbeat; once past, another worker may take the run over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public bool CancelRequested { get; set; }

    public string? CurrentStep { get; set; }

    public string? Error { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// A resume arrived while the run was still running (before it parked): the park puts it straight back in the queue,
    /// so a decision that lands between a step's last look and its park is not lost.
    /// </summary>
    public bool ResumeRequested { get; set; }

    /// <summary>The run's id in an external engine (Hatchet's workflow run id) once relayed there; null for the embedded engine.</summary>
    public string? EngineRunId { get; set; }
}
