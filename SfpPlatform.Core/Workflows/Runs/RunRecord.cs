namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>What an external engine's worker checks before it runs a step of a run.</summary>
public sealed record RunRecord(string Status, string? EngineRunId, bool CancelRequested);
