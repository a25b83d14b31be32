using System.Formats.Tar;
using System.IO.Compression;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>Extracts the source archives providers serve, refusing entries that would land outside the workspace.</summary>
public static class SourceArchives
{
    /// <summary>GitHub's tarball has one top folder (<c>owner-repo-sha</c>): its contents go to <paramref name="destination"/>.</summary>
    public static async Task ExtractTarballAsync(byte[] archive, string destination, CancellationToken cancellationToken)
    {
        await using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        await using var reader = new TarReader(gzip);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var parts = entry.Name.Split('/', 2);
            if (parts.Length < 2 || parts[1].Length == 0 || entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory))
            {
                continue;
            }

            var target = Target(destination, parts[1], entry.Name);
            if (entry.EntryType == TarEntryType.Directory)
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }

    /// <summary>Azure DevOps' items zip holds the repository's files at its root.</summary>
    public static async Task ExtractZipAsync(byte[] archive, string destination, CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName.TrimStart('/');
            if (name.Length == 0)
            {
                continue;
            }

            var target = Target(destination, name, entry.FullName);
            if (name.EndsWith('/'))
            {
                Directory.CreateDirectory(target);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await entry.ExtractToFileAsync(target, overwrite: true, cancellationToken);
        }
    }

    private static string Target(string destination, string relative, string entryName)
    {
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        var target = Path.GetFullPath(Path.Combine(destination, relative));
        return target.StartsWith(root, StringComparison.Ordinal) || target + Path.DirectorySeparatorChar == root
            ? target
            : throw new NonRetryableStepException($"The archive entry '{entryName}' points outside the workspace.");
    }
}
