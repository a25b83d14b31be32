using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>The engine's view of one run.</summary>
public sealed record WorkflowRunState(
    Guid Id, string Workflow, string Status, int Attempt, string? CurrentStep, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);
