namespace SfpPlatform.Contracts.Runs;

/// <summary>One attempt of one step of a run.</summary>
public sealed record RunStep(string Step, int Attempt, string Status, string? Error, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);
