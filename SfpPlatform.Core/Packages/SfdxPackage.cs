using System.Text.Json;

namespace SfpPlatform.Core.Packages;

/// <summary>One package directory of an <c>sfdx-project.json</c>: its package name, path and version.</summary>
public sealed record SfdxPackage(string Name, string Path, string VersionNumber)
{
    /// <summary>True when a changed path lies under this package's directory.</summary>
    public bool IsTouchedBy(IEnumerable<string> changedPaths)
    {
        var prefix = Path.TrimEnd('/') + "/";
        return changedPaths.Any(p => p.StartsWith(prefix, StringComparison.Ordinal));
    }
}
