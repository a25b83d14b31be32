using System.Text.RegularExpressions;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Tests.Deployment;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.UnitTests.Topology.Rendering;

/// <summary>
/// deploy/sfp-platform.sh's .env handling, run for real with bash (no container engine needed for it): it generates
/// the secrets it can, refuses the blanks it cannot fill naming each, and checks the certificate files the mode needs.
/// </summary>
public sealed partial class OperatorScriptTests
{
    [Theory]
    [InlineData(OperatorScript.FileName)]
    [InlineData(OperatorScript.SmokeFileName)]
    public async Task Script_IsValidBash_AndExecutable(string script)
    {
        var path = Path.Combine(ComposeFile.DeployDirectory, script);
        var result = await TestProcess.RunAsync("bash", ["-n", path], cancellationToken: Cancellation);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
    }

    [Fact]
    public async Task Env_GeneratesTheSecrets_RefusesEachBlankItCannotFill_ThenAcceptsACompleteFile()
    {
        using var deploy = CopyOfDeploy();
        await File.WriteAllTextAsync(Path.Combine(deploy.Path, ".env"), "SFP_VERSION=1.0.0\n", Cancellation);

        var first = await RunAsync(deploy.Path, "env");

        Assert.Equal(1, first.ExitCode);
        var blanks = BlankLine().Matches(first.Error).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(
            new[] { "SFP_TLS_MODE", "SFP_PUBLIC_HOST", "SFP_ADMIN_HOST", "SFP_ADMIN_ALLOWLIST", "STUDIO_PASSWORD_HASH" }.Order(StringComparer.Ordinal),
            blanks.Order(StringComparer.Ordinal));
        var env = ComposeFile.ParseDotEnv(await File.ReadAllTextAsync(Path.Combine(deploy.Path, ".env"), Cancellation));
        foreach (var generated in PlatformServices.Deployment.ComposeVariables().Where(v => v.GeneratedLength is not null))
        {
            Assert.Matches($"^[A-Za-z0-9]{{{generated.GeneratedLength}}}$", env[generated.Name]);
        }

        Assert.Equal("", env.GetValueOrDefault(OperatorVariables.HatchetToken.Name, ""));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(deploy.Path, ".env")));

        // Filled in, custom mode: now only the certificate files are missing.
        await File.AppendAllTextAsync(Path.Combine(deploy.Path, ".env"),
            "SFP_TLS_MODE=custom\nSFP_PUBLIC_HOST=sfp.example.com\nSFP_ADMIN_HOST=admin.sfp.example.com\nSFP_ADMIN_ALLOWLIST=10.0.0.0/8\nSTUDIO_PASSWORD_HASH=aGFzaA==\n",
            Cancellation);
        var second = await RunAsync(deploy.Path, "env");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"certs/{CaddyfileRenderer.CustomCertificate} is missing", second.Error, StringComparison.Ordinal);
        Assert.Contains($"certs/{CaddyfileRenderer.CustomKey} is missing", second.Error, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(deploy.Path, "certs"));
        await File.WriteAllTextAsync(Path.Combine(deploy.Path, "certs", CaddyfileRenderer.CustomCertificate), "certificate", Cancellation);
        await File.WriteAllTextAsync(Path.Combine(deploy.Path, "certs", CaddyfileRenderer.CustomKey), "key", Cancellation);
        var third = await RunAsync(deploy.Path, "env");
        Assert.True(third.ExitCode == 0, third.Error);

        // The values compose will read from this .env: complete, no blanks refused.
        var compose = ComposeFile.Load(ComposeFile.ParseDotEnv(await File.ReadAllTextAsync(Path.Combine(deploy.Path, ".env"), Cancellation)));
        foreach (var service in compose.ServiceNames)
        {
            _ = compose.Environment(service);
        }
    }

    [Fact]
    public async Task Env_RefusesAnUnknownTlsMode()
    {
        using var deploy = CopyOfDeploy();
        await File.WriteAllTextAsync(Path.Combine(deploy.Path, ".env"), "SFP_TLS_MODE=selfsigned\n", Cancellation);

        var result = await RunAsync(deploy.Path, "env");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("SFP_TLS_MODE is 'selfsigned'", result.Error, StringComparison.Ordinal);
    }

    private static TestFolder CopyOfDeploy()
    {
        var folder = new TestFolder();
        foreach (var file in Directory.GetFiles(ComposeFile.DeployDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder.Path, Path.GetRelativePath(ComposeFile.DeployDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }

        return folder;
    }

    /// <summary>The script with no container engine (the Studio hash needs one, so it stays blank and is reported).</summary>
    private static Task<TestProcess.Result> RunAsync(string deploy, string command) =>
        TestProcess.RunAsync(Path.Combine(deploy, OperatorScript.FileName), [command],
            new Dictionary<string, string?> { ["SFP_CONTAINER_ENGINE"] = "/nonexistent/docker" }, Cancellation);

    [GeneratedRegex(@"^\s+- ([A-Z0-9_]+) is blank:", RegexOptions.Multiline)]
    private static partial Regex BlankLine();
}
