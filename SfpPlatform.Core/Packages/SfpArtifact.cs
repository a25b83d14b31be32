using System.Text.Json;

namespace SfpPlatform.Core.Packages;

/// <summary>
/// What <c>sfp build</c> writes and <c>sfp publish --npm</c> publishes: <c>{package}_sfpowerscripts_artifact_{version}.zip</c>
/// in the artifact directory, published as <c>@{scope}/{package}_sfpowerscripts_artifact@{version}</c> — both lower
/// case, as sfp 39 names them (npm refuses upper case).
/// </summary>
public sealed record SfpArtifact(string Package, string Version, string File)
{
    private const string Marker = "_sfpowerscripts_artifact_";

    /// <summary>The npm name sfp publishes a package's artifacts under in <paramref name="scope"/>.</summary>
    public static string NpmName(string scope, string package) =>
        $"@{scope.Replace("@", "", StringComparison.Ordinal).ToLowerInvariant()}/{package.ToLowerInvariant()}_sfpowerscripts_artifact";

    /// <summary>
    /// The artifacts in <paramref name="directory"/> (none when it does not exist), by file name as <c>sfp publish</c>
    /// reads them (package up to the last marker, version after it).
    /// </summary>
    public static IReadOnlyList<SfpArtifact> Find(string directory) => Directory.Exists(directory)
        ? [.. Directory.EnumerateFiles(directory, "*.zip")
            .Select(file => (file, name: System.IO.Path.GetFileNameWithoutExtension(file)))
            .Select(f => (f.file, f.name, at: f.name.LastIndexOf(Marker, StringComparison.Ordinal)))
            .Where(f => f.at > 0)
            .Select(f => new SfpArtifact(f.name[..f.at], f.name[(f.at + Marker.Length)..], f.file))
            .OrderBy(a => a.Package, StringComparer.Ordinal)]
        : [];
}
