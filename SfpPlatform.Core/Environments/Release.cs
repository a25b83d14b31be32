using System.Text.Json;

namespace SfpPlatform.Core.Environments;

/// <summary>
/// A named, immutable set of package versions already in the platform's Verdaccio, kept as the sfp release definition
/// <c>sfp release -p</c> reads (<see cref="Definition"/>). Made by a build of a mapped branch, or by hand.
/// </summary>
public sealed class Release
{
    public Guid Id { get; set; }

    public required string ProjectKey { get; set; }

    public required string Name { get; set; }

    /// <summary>The artifacts: <c>[{package, npmName, version}]</c> (<see cref="ReleaseArtifact"/>).</summary>
    public required JsonDocument Artifacts { get; set; }

    /// <summary>The release definition YAML (<c>release</c>, <c>skipIfAlreadyInstalled</c>, <c>artifacts</c>).</summary>
    public required string Definition { get; set; }

    /// <summary><c>build</c> or <c>manual</c>.</summary>
    public required string Source { get; set; }

    /// <summary>The build run that made it, if a build did.</summary>
    public Guid? BuildRunId { get; set; }

    public string? Branch { get; set; }

    public string? Sha { get; set; }

    /// <summary>The run input of the event that made it (the repository deployments of it report to); null when made by hand.</summary>
    public JsonDocument? Origin { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
