using System.Text.Json;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>One attempt of one step of a run.</summary>
public sealed class WorkflowStepRun
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string Step { get; set; }

    public int Attempt { get; set; }

    /// <summary>One of <see cref="WorkflowStepStatus"/>.</summary>
    public required string Status { get; set; }

    public string? Error { get; set; }

    public required string Worker { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
