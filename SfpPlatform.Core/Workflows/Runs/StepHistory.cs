namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>What a run's attempts so far say: the steps that succeeded, and how many attempts each step has used.</summary>
public sealed record StepHistory(IReadOnlySet<string> Succeeded, IReadOnlyDictionary<string, int> Attempts);
