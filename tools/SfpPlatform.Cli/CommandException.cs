namespace SfpPlatform.Cli;

/// <summary>A command failed for a reason the operator can act on: printed as one line, exit code 1.</summary>
public sealed class CommandException(string message) : Exception(message);
