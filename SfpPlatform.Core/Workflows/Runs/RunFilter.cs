namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>Which runs a list shows; a null member does not filter.</summary>
public sealed record RunFilter(string? Workflow = null, string? Status = null, string? ProjectKey = null);
