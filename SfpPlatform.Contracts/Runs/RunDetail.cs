namespace SfpPlatform.Contracts.Runs;

/// <summary><c>GET /sfp/api/runs/{id}</c>: the run and its step attempts, oldest first.</summary>
public sealed record RunDetail(RunSummary Run, IReadOnlyList<RunStep> Steps);
