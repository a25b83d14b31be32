namespace SfpPlatform.Contracts.Stats;

/// <summary>Runs of a workflow created in the window, by status now.</summary>
public sealed record WorkflowOutcomes(string Workflow, int Succeeded, int Failed, int Cancelled, int Running, int Queued);
