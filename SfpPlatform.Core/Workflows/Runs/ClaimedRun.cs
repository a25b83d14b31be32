using System.Text.Json;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>A run a worker of the embedded engine has claimed: it holds the lease until it finishes or releases the run.</summary>
public sealed record ClaimedRun(Guid Id, string Workflow, JsonElement Input, int Attempt, string? TraceParent, string? TraceState, bool CancelRequested)
{
    /// <summary>The attempt of the first step the claim started (a first claim of a run not asked to stop), else null.</summary>
    public long? FirstStepRunId { get; init; }
}
