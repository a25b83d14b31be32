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

/// <summary>The project file cannot be read as a Salesforce DX project: no build can mend it.</summary>
public sealed class SfdxProjectException(string message) : Exception(message);

/// <summary>Reads the package directories of a Salesforce DX project (<c>sfdx-project.json</c>).</summary>
public static class SfdxProject
{
    public const string FileName = "sfdx-project.json";

    public static async Task<IReadOnlyList<SfdxPackage>> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var file = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(file))
        {
            throw new SfdxProjectException($"The repository has no {FileName} at its root: nothing to build.");
        }

        JsonDocument document;
        try
        {
            await using var stream = File.OpenRead(file);
            document = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new SfdxProjectException($"{FileName} is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("packageDirectories", out var directories) || directories.ValueKind != JsonValueKind.Array)
            {
                throw new SfdxProjectException($"{FileName} has no 'packageDirectories' array.");
            }

            var packages = new List<SfdxPackage>();
            foreach (var entry in directories.EnumerateArray())
            {
                var path = Text(entry, "path")?.Trim().TrimStart('.', '/').TrimEnd('/');
                if (string.IsNullOrEmpty(path) || path.Contains("..", StringComparison.Ordinal))
                {
                    throw new SfdxProjectException($"{FileName} has a package directory without a usable 'path'.");
                }

                var name = Text(entry, "package") ?? path.Split('/')[^1];
                packages.Add(new SfdxPackage(name, path, Text(entry, "versionNumber") ?? "1.0.0.NEXT"));
            }

            return packages;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

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
