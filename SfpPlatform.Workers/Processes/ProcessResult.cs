using System.Diagnostics;

namespace SfpPlatform.Workers.Processes;

/// <summary>How a process ended, with the last lines of its output (masked).</summary>
public sealed record ProcessResult(int ExitCode, IReadOnlyList<string> Tail)
{
    public bool Succeeded => ExitCode == 0;
}
