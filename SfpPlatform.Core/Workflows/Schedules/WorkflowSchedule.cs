using System.Text.Json;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// A durable schedule (<c>workflow_schedules</c>): a workflow with an input, run on a five-field UTC cron expression
/// or once at a time. <see cref="NextRunAt"/> is advanced in the transaction that starts the run, so any number of
/// schedulers start each tick once.
/// </summary>
public sealed class WorkflowSchedule
{
    public Guid Id { get; set; }

    /// <summary>Unique, lower-case with dashes; a platform sweep's schedule has the sweep's name.</summary>
    public required string Name { get; set; }

    public required string Workflow { get; set; }

    public required JsonDocument Input { get; set; }

    public string? ProjectKey { get; set; }

    /// <summary>Five-field cron in UTC; null for a one-off.</summary>
    public string? Cron { get; set; }

    /// <summary>A one-off's time; null for a cron schedule.</summary>
    public DateTimeOffset? RunAt { get; set; }

    /// <summary>When it is next due; null once a one-off has run (or a cron has no later occurrence).</summary>
    public DateTimeOffset? NextRunAt { get; set; }

    public bool Paused { get; set; }

    /// <summary>One of <see cref="ScheduleOwners"/>: the platform's own sweeps are kept by the Workers and cannot be deleted.</summary>
    public required string Owner { get; set; }

    public Guid? LastRunId { get; set; }

    /// <summary>The tick the last run was for.</summary>
    public DateTimeOffset? LastTickAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
