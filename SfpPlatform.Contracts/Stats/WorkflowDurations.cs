namespace SfpPlatform.Contracts.Stats;

/// <summary>Execution time (started to finished) of a workflow's runs that finished in the window: percentiles in seconds.</summary>
public sealed record WorkflowDurations(string Workflow, int Runs, double P50Seconds, double P90Seconds, double P99Seconds);
