using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Packages;

/// <summary>One package directory of an <c>sfdx-project.json</c>: its package name, path and version.</summary>
public sealed record SfdxPackage(string Name, string Path, string VersionNumber)
{
    /// <summary><c>1.2.0.NEXT</c> (or <c>1.2.0.4</c>) → <c>1.2.0-{build}</c>: the npm version of this build's artifact.</summary>
    public string ArtifactVersion(long buildNumber)
    {
        var parts = VersionNumber.Split('.');
        var numbers = parts.Take(3).Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        while (numbers.Count < 3)
        {
            numbers.Add(0);
        }

        return numbers.Any(n => n < 0)
            ? throw new NonRetryableStepException($"Package '{Name}' has the version number '{VersionNumber}': expected major.minor.patch[.build|.NEXT].")
            : $"{numbers[0]}.{numbers[1]}.{numbers[2]}-{buildNumber.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>True when a changed path lies under this package's directory.</summary>
    public bool IsTouchedBy(IEnumerable<string> changedPaths)
    {
        var prefix = Path.TrimEnd('/') + "/";
        return changedPaths.Any(p => p.StartsWith(prefix, StringComparison.Ordinal));
    }
}

/// <summary>Reads the package directories of a Salesforce DX project (<c>sfdx-project.json</c>).</summary>
public static partial class SfdxProject
{
    public const string FileName = "sfdx-project.json";

    public static async Task<IReadOnlyList<SfdxPackage>> ReadAsync(string workspace, CancellationToken cancellationToken)
    {
        var file = System.IO.Path.Combine(workspace, FileName);
        if (!File.Exists(file))
        {
            throw new NonRetryableStepException($"The repository has no {FileName} at its root: nothing to build.");
        }

        JsonDocument document;
        try
        {
            await using var stream = File.OpenRead(file);
            document = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new NonRetryableStepException($"{FileName} is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("packageDirectories", out var directories) || directories.ValueKind != JsonValueKind.Array)
            {
                throw new NonRetryableStepException($"{FileName} has no 'packageDirectories' array.");
            }

            var packages = new List<SfdxPackage>();
            foreach (var directory in directories.EnumerateArray())
            {
                var path = Text(directory, "path")?.Trim().TrimStart('.', '/').TrimEnd('/');
                if (string.IsNullOrEmpty(path) || path.Contains("..", StringComparison.Ordinal))
                {
                    throw new NonRetryableStepException($"{FileName} has a package directory without a usable 'path'.");
                }

                var name = Text(directory, "package") ?? path.Split('/')[^1];
                packages.Add(new SfdxPackage(name, path, Text(directory, "versionNumber") ?? "1.0.0.NEXT"));
            }

            return packages;
        }
    }

    /// <summary>An npm package name for the artifact: <c>@{scope}/{package}</c>, lower case, npm's allowed characters.</summary>
    public static string ArtifactName(string scope, string package) =>
        $"@{Safe(scope)}/{Safe(package)}";

    private static string Safe(string value)
    {
        var safe = NotAllowed().Replace(value.ToLowerInvariant(), "-").Trim('-', '.', '_');
        return safe.Length == 0 ? "package" : safe;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("[^a-z0-9._-]+")]
    private static partial Regex NotAllowed();
}
