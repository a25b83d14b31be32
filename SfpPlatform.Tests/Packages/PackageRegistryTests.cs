using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Packages;

/// <summary>
/// The stack's own Verdaccio (started by the AppHost with the configuration it generates): an artifact published
/// with the publisher account installs into a clean folder with the real npm through the <c>.npmrc</c> the workers
/// write; anonymous users and the reader account cannot publish; a version is immutable; nothing resolves from the
/// public registry.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PackageRegistryTests(PlatformAppFixture platform)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static NpmPackage Pack(string name, string version, string content, string directory)
    {
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "Hello.cls");
        File.WriteAllText(file, content);
        return NpmPackage.Pack(new JsonObject { ["name"] = name, ["version"] = version, ["description"] = "test artifact" }, [("src/Hello.cls", file)]);
    }

    [Fact]
    public async Task PublishedArtifact_InstallsIntoACleanFolder_ThroughTheGeneratedConfiguration()
    {
        var registry = await platform.PackageRegistryAsync();
        var name = $"@pkgtest/core-{Guid.NewGuid():n}"[..30];
        using var source = new TestFolder();
        var content = "public class Hello { /* " + Guid.NewGuid() + " */ }";
        var package = Pack(name, "1.2.0-7", content, source.Path);

        Assert.Equal(PublishOutcome.Published, await registry.PublishAsync(package, Cancellation));
        Assert.Equal(["1.2.0-7"], await registry.VersionsAsync(name, Cancellation));

        // A clean folder, npm's user configuration = the workspace's .npmrc (reader account), its own cache.
        using var workspace = new TestFolder();
        await registry.WriteNpmrcAsync(workspace.Path, PackageRegistryRole.Reader, Cancellation);
        var npmrc = await File.ReadAllTextAsync(Path.Combine(workspace.Path, ".npmrc"), Cancellation);
        Assert.Contains(":_auth=", npmrc, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(workspace.Path, ".npmrc")));

        var (exit, output) = await NpmAsync(registry, workspace.Path, "install", "--no-save", $"{name}@1.2.0-7");
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

        var (exit, output) = await NpmAsync(registry, workspace.Path, "install", "--no-save", "left-pad@1.3.0");

        Assert.NotEqual(0, exit);
        Assert.Contains("404", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(workspace.Path, "node_modules", "left-pad")));
    }

    [Fact]
    public async Task SameVersion_IsRefused_UnlessItIsTheSameContent()
    {
        var registry = await platform.PackageRegistryAsync();
        var name = $"@pkgtest/dup-{Guid.NewGuid():n}"[..30];
        using var source = new TestFolder();
        var first = Pack(name, "1.0.0-1", "first", source.Path);
        Assert.Equal(PublishOutcome.Published, await registry.PublishAsync(first, Cancellation));

        // The identical package again (a retried build): accepted as already there, nothing replaced.
        var again = Pack(name, "1.0.0-1", "first", source.Path);
        Assert.Equal(first.Integrity, again.Integrity);
        Assert.Equal(PublishOutcome.AlreadyPublished, await registry.PublishAsync(again, Cancellation));

        // Other content under the same version: refused, with a message that says what to do.
        var other = Pack(name, "1.0.0-1", "second", source.Path);
        var refused = await Assert.ThrowsAsync<PackageVersionExistsException>(() => registry.PublishAsync(other, Cancellation));
        Assert.Contains($"{name}@1.0.0-1 is already published", refused.Message, StringComparison.Ordinal);
        var tarball = await registry.DownloadAsync(name, "1.0.0-1", Cancellation);
        Assert.Equal(first.Tarball, tarball);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sfp-reader")]
    [InlineData("sfp-publisher:wrong-password")]
    public async Task PublishWithoutThePublisherAccount_IsRefused(string? account)
    {
        var (url, _, reader) = await platform.RegistryAsync();
        var name = $"@pkgtest/anon-{Guid.NewGuid():n}"[..30];
        using var source = new TestFolder();
        var package = Pack(name, "1.0.0-1", "x", source.Path);
        var document = new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonObject { ["1.0.0-1"] = new JsonObject { ["name"] = name, ["version"] = "1.0.0-1", ["dist"] = new JsonObject { ["integrity"] = package.Integrity } } },
            ["_attachments"] = new JsonObject { [$"x-1.0.0-1.tgz"] = new JsonObject { ["data"] = Convert.ToBase64String(package.Tarball), ["length"] = package.Tarball.Length } },
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
        await registry.PublishAsync(Pack(name, "1.0.0-1", "x", source.Path), Cancellation);

        var anonymous = await platform.PackageRegistryAsync(withAccounts: false);
        var refused = await Assert.ThrowsAsync<NonRetryableStepException>(() => anonymous.VersionsAsync(name, Cancellation));
        Assert.Contains("refused reading", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output)> NpmAsync(PackageRegistry registry, string workspace, params string[] arguments)
    {
        var start = new ProcessStartInfo("npm") { WorkingDirectory = workspace, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in registry.Environment(workspace, new Dictionary<string, string?>()))
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
