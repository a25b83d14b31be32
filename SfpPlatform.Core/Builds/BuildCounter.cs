using System.Text.Json;

namespace SfpPlatform.Core.Builds;

/// <summary>The last build number handed out per scope.</summary>
public sealed class BuildCounter
{
    public required string Scope { get; set; }

    public long Last { get; set; }
}
