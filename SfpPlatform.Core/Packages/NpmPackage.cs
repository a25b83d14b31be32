using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace SfpPlatform.Core.Packages;

/// <summary>
/// An npm package packed as npm packs one: a gzipped tar with every file under <c>package/</c>, the manifest as
/// <c>package/package.json</c>. Entries are sorted and dated at a fixed time, so the same files pack to the same
/// bytes — a retried build republishes nothing.
/// </summary>
public sealed class NpmPackage
{
    private static readonly DateTimeOffset FixedTime = new(1985, 10, 26, 8, 15, 0, TimeSpan.Zero);

    private NpmPackage(JsonObject manifest, byte[] tarball, int files)
    {
        Manifest = manifest;
        Tarball = tarball;
        Files = files;
        Shasum = Convert.ToHexStringLower(SHA1.HashData(tarball));
        Integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball));
    }

    public JsonObject Manifest { get; }

    public string Name => Manifest["name"]!.GetValue<string>();

    public string Version => Manifest["version"]!.GetValue<string>();

    public byte[] Tarball { get; }

    public int Files { get; }

    /// <summary>SHA-1 of the tarball, hex (npm's <c>dist.shasum</c>).</summary>
    public string Shasum { get; }

    /// <summary>SRI SHA-512 of the tarball (npm's <c>dist.integrity</c>).</summary>
    public string Integrity { get; }

    /// <summary>Packs <paramref name="files"/> (package path → file on disk) with <paramref name="manifest"/>.</summary>
    public static NpmPackage Pack(JsonObject manifest, IEnumerable<(string PackagePath, string FilePath)> files)
    {
        using var buffer = new MemoryStream();
        var count = 0;
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            Write(tar, "package/package.json", Encoding.UTF8.GetBytes(manifest.ToJsonString(new() { WriteIndented = true })));
            foreach (var (packagePath, filePath) in files.OrderBy(f => f.PackagePath, StringComparer.Ordinal))
            {
                Write(tar, "package/" + packagePath, File.ReadAllBytes(filePath));
                count++;
            }
        }

        return new NpmPackage(manifest, buffer.ToArray(), count);
    }

    private static void Write(TarWriter tar, string name, byte[] content)
    {
        tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            ModificationTime = FixedTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        });
    }
}
