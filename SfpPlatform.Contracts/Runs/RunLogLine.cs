namespace SfpPlatform.Contracts.Runs;

/// <summary>One line a step wrote; <see cref="Id"/> grows with each line, so a reader asks for the lines after the last it saw.</summary>
public sealed record RunLogLine(long Id, string Step, DateTimeOffset At, string Line);
