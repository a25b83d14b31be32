using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Packages;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Packages;

/// <summary>
/// The stack's own Verdaccio (started by the AppHost with the configuration it generates): an artifact published
/// with the real npm through the publisher's <c>.npmrc</c> (as <c>sfp publish --npm --npmrcpath</c> does) installs
/// into a clean folder through the reader's; anonymous users and the reader account cannot publish; a version is
/// immutable; nothing resolves from the public registry.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PackageRegistryTests(PlatformAppFixture platform)
{
    /// <summary>
    /// A package folder published as <c>sfp publish --npm</c> does it: <c>npm publish</c> in the folder, with the
    /// publisher's <c>.npmrc</c> (scope included) copied beside the package.json. Returns npm's exit code and output.
    /// </summary>
    private static async Task<(int Exit, string Output)> PublishAsync(PackageRegistry registry, string name, string version, string content, string directory)
    {
        Directory.CreateDirectory(Path.Combine(directory, "src"));
        await File.WriteAllTextAsync(Path.Combine(directory, "src", "Hello.cls"), content, Cancellation);
        await File.WriteAllTextAsync(Path.Combine(directory, "package.json"),
            new JsonObject { ["name"] = name, ["version"] = version, ["description"] = "test artifact" }.ToJsonString(), Cancellation);
        var npmrc = await registry.WriteNpmrcAsync(directory, PackageRegistryRole.Publisher, Cancellation, scope: name.Split('/')[0], fileName: "publisher.npmrc");
        File.Copy(npmrc, Path.Combine(directory, ".npmrc"), overwrite: true);
        using var home = new TestFolder();
        return await NpmAsync(registry, home.Path, directory, "publish", "--tag", "main");   // sfp tags with the branch
    }

    [Fact]
    public async Task PublishedArtifact_InstallsIntoACleanFolder_ThroughTheGeneratedConfiguration()
    {
        var registry = await platform.PackageRegistryAsync();
        var name = $"@pkgtest/core-{Guid.NewGuid():n}"[..30];
        using var source = new TestFolder();
        var content = "public class Hello { /* " + Guid.NewGuid() + " */ }";

        var (published, publishOutput) = await PublishAsync(registry, name, "1.2.0-7", content, source.Path);
        Assert.True(published == 0, publishOutput);
        Assert.Equal(["1.2.0-7"], await registry.VersionsAsync(name, Cancellation));

        // A clean folder, npm's user configuration = the workspace's .npmrc (reader account), its own cache.
        using var workspace = new TestFolder();
        await registry.WriteNpmrcAsync(workspace.Path, PackageRegistryRole.Reader, Cancellation);
        var npmrc = await File.ReadAllTextAsync(Path.Combine(workspace.Path, ".npmrc"), Cancellation);
        Assert.Contains(":_auth=", npmrc, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(workspace.Path, ".npmrc")));

        var (exit, output) = await NpmAsync(registry, workspace.Path, workspace.Path, "install", "--no-save", $"{name}@1.2.0-7");
        Assert.True(exit == 0, output);
        var installed = Path.Combine(workspace.Path, "node_modules", name);
        Assert.Equal(content, await File.ReadAllTextAsync(Path.Combine(installed, "src", "Hello.cls"), Cancellation));
        Assert.Equal("1.2.0-7", JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(installed, "package.json"), Cancellation))!["version"]!.GetValue<string>());
        var (_, publisherPassword, readerPassword) = await platform.RegistryAsync();
        Assert.DoesNotContain(readerPassword, output, StringComparison.Ordinal);
        Assert.DoesNotContain(publisherPassword, npmrc, StringComparison.Ordinal);   // the reader's workspace holds no publish right
    }

    [Fact]
    public async Task PublicPackages_DoNotResolve_TheUplinkIsOff()
    {
        var registry = await platform.PackageRegistryAsync();
        using var workspace = new TestFolder();
        await registry.WriteNpmrcAsync(workspace.Path, PackageRegistryRole.Reader, Cancellation);

        var (exit, output) = await NpmAsync(registry, workspace.Path, workspace.Path, "install", "--no-save", "left-pad@1.3.0");

        Assert.NotEqual(0, exit);
        Assert.Contains("404", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Path, "node_modules", "left-pad")));
    }

    [Fact]
    public async Task SameVersion_IsRefused_AndKeepsItsFirstContent()
    {
        var registry = await platform.PackageRegistryAsync();
        var name = $"@pkgtest/dup-{Guid.NewGuid():n}"[..30];
        using var first = new TestFolder();
        var (exit, output) = await PublishAsync(registry, name, "1.0.0-1", "first", first.Path);
        Assert.True(exit == 0, output);
        var tarball = await registry.DownloadAsync(name, "1.0.0-1", Cancellation);

        // Other content under the same version (what a second sfp publish of a rebuilt artifact would send): refused.
        using var second = new TestFolder();
        (exit, output) = await PublishAsync(registry, name, "1.0.0-1", "second", second.Path);

        Assert.True(exit != 0, output);
        Assert.Contains("E409", output, StringComparison.Ordinal);
        Assert.Equal(tarball, await registry.DownloadAsync(name, "1.0.0-1", Cancellation));
        Assert.Equal(["1.0.0-1"], await registry.VersionsAsync(name, Cancellation));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sfp-reader")]
    [InlineData("sfp-publisher:wrong-password")]
    public async Task PublishWithoutThePublisherAccount_IsRefused(string? account)
    {
        var (url, _, reader) = await platform.RegistryAsync();
        var name = $"@pkgtest/anon-{Guid.NewGuid():n}"[..30];
        var tarball = Encoding.UTF8.GetBytes("not even a tarball: the registry must refuse before it looks");
        var document = new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonObject { ["1.0.0-1"] = new JsonObject { ["name"] = name, ["version"] = "1.0.0-1", ["dist"] = new JsonObject { ["shasum"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(tarball)) } } },
            ["_attachments"] = new JsonObject { [$"x-1.0.0-1.tgz"] = new JsonObject { ["data"] = Convert.ToBase64String(tarball), ["length"] = tarball.Length } },
        };
        using var http = new HttpClient { BaseAddress = url };
        using var request = new HttpRequestMessage(HttpMethod.Put, name.Replace("/", "%2f", StringComparison.Ordinal))
        {
            Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (account is not null)
        {
            var credentials = account.Contains(':', StringComparison.Ordinal) ? account : $"{account}:{reader}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        using var response = await http.SendAsync(request, Cancellation);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Cancellation)}");
        Assert.Empty(await (await platform.PackageRegistryAsync()).VersionsAsync(name, Cancellation));
    }

    [Fact]
    public async Task AnonymousReads_AreRefused()
    {
        var registry = await platform.PackageRegistryAsync();
        var name = $"@pkgtest/read-{Guid.NewGuid():n}"[..30];
        using var source = new TestFolder();
        var (exit, output) = await PublishAsync(registry, name, "1.0.0-1", "x", source.Path);
        Assert.True(exit == 0, output);

        var anonymous = await platform.PackageRegistryAsync(withAccounts: false);
        var refused = await Assert.ThrowsAsync<PackageRegistryException>(() => anonymous.VersionsAsync(name, Cancellation));
        Assert.Contains("refused reading", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.IsPermanent);
    }

    /// <summary>npm with the workspace's configuration (<paramref name="home"/>'s <c>.npmrc</c>, its own cache), run in <paramref name="directory"/>.</summary>
    private static async Task<(int Exit, string Output)> NpmAsync(PackageRegistry registry, string home, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in registry.Environment(home, new Dictionary<string, string?>()))
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Cancellation);
        var stderr = process.StandardError.ReadToEndAsync(Cancellation);
        await process.WaitForExitAsync(Cancellation).WaitAsync(TimeSpan.FromMinutes(2), Cancellation);
        return (process.ExitCode, await stdout + await stderr);
    }
}
