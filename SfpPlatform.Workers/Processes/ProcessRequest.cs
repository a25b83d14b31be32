using System.Diagnostics;

namespace SfpPlatform.Workers.Processes;

/// <summary>A command for <see cref="ProcessRunner"/>: program, arguments (never through a shell), directory, environment.</summary>
public sealed record ProcessRequest(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Values replaced by <c>***</c> in every streamed line (tokens, passwords, auth URLs).</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}
