using System.Text.Json;

namespace SfpPlatform.Core.Builds;

/// <summary>
/// One build of a pushed commit: its number within the artifact scope (the project), and the artifacts it
/// published. The number comes from <see cref="BuildCounter"/> in the same statement that records the build, so a
/// retried run keeps its number and concurrent builds never share one.
/// </summary>
public sealed class Build
{
    /// <summary>The workflow run that built it.</summary>
    public Guid RunId { get; set; }

    /// <summary>The npm scope its artifacts are published under (the project key).</summary>
    public required string Scope { get; set; }

    public long Number { get; set; }

    public required string Provider { get; set; }

    public required string Repository { get; set; }

    public string? Branch { get; set; }

    public required string Sha { get; set; }

    /// <summary>The artifacts published: <c>[{name, version, outcome}]</c>; null until the build finishes.</summary>
    public JsonDocument? Artifacts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
