namespace SfpPlatform.Contracts.Runs;

/// <summary><c>GET /sfp/api/runs/{id}/logs?afterId=</c>: the run's status and its next log lines, oldest first.</summary>
public sealed record RunLog(string Status, IReadOnlyList<RunLogLine> Lines);
