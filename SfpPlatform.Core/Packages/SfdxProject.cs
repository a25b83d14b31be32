using System.Text.Json;

namespace SfpPlatform.Core.Packages;

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
