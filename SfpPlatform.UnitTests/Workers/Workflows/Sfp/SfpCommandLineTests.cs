using Microsoft.Extensions.Options;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.UnitTests.Workers.Workflows.Sfp;

/// <summary>
/// An sfp command line as the steps show it, and a missing install, without the sfp CLI (the lines checked against
/// the installed sfp's own flag definitions are in SfpPlatform.Tests).
/// </summary>
public sealed class SfpCommandLineTests
{
    [Fact]
    public void CommandLine_IsShownAsTyped_WithSecretsMasked()
    {
        var line = new SfpCommandLine(["validate", "org", "-o", "review 1", "--mode", "thorough", "--note", "token s3cr3t-value"]);

        Assert.Equal("sfp validate org -o 'review 1' --mode thorough --note 'token ***'", line.Display(["s3cr3t-value"]));
        Assert.Equal("validate:org", line.CommandId);
    }

    [Fact]
    public void MissingInstall_FailsTheStep_WithHowToInstall()
    {
        using var empty = new TestFolder();
        var cli = new SfpCli(Options.Create(new SfpCliOptions { BinDirectory = empty.Path }));

        var missing = Assert.Throws<NonRetryableStepException>(() => cli.Executable);

        Assert.Contains("The sfp CLI is not installed", missing.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci --prefix tools/sfp", missing.Message, StringComparison.Ordinal);
    }
}
