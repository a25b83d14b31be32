using System.Text.Json;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Webhooks;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>One line of a run's log.</summary>
public sealed class WorkflowLogLine
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string Step { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Line { get; set; }
}
