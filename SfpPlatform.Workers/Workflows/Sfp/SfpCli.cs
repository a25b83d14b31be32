using Microsoft.Extensions.Options;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>
/// The installed sfp CLI: its executable and the <c>node_modules</c> it was installed into (which also holds the
/// <c>@salesforce/core</c> it reads the auth store with). Looked up when a step needs it, so a missing install fails
/// those steps with one clear message instead of stopping the Workers at start-up.
/// </summary>
public sealed class SfpCli(IOptions<SfpCliOptions> options)
{
    public const string Name = "sfp";

    public const string InstallHint =
        "install it with `npm ci --prefix tools/sfp` (./test.sh does) or set " + SfpCliOptions.BinDirectoryVariable + " to its node_modules/.bin";

    /// <summary>The <c>sfp</c> executable; a clear, non-retryable failure when there is none.</summary>
    public string Executable => Locate(options.Value.BinDirectory, Environment.GetEnvironmentVariable("PATH")).Executable;

    /// <summary>The install's <c>node_modules</c>.</summary>
    public string NodeModules => Locate(options.Value.BinDirectory, Environment.GetEnvironmentVariable("PATH")).NodeModules;

    /// <summary>The configured <c>.bin</c>'s sfp, else the first on <paramref name="path"/> (followed through its links to the install).</summary>
    public static (string Executable, string NodeModules) Locate(string? binDirectory, string? path)
    {
        if (binDirectory is { Length: > 0 } bin)
        {
            var configured = Path.Combine(bin, Name);
            return File.Exists(configured)
                ? (configured, Path.GetDirectoryName(Path.GetFullPath(bin.TrimEnd('/', '\\')))!)
                : throw new NonRetryableStepException($"The sfp CLI is not installed: {configured} does not exist; {InstallHint}.");
        }

        var onPath = (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, Name))
            .FirstOrDefault(File.Exists)
            ?? throw new NonRetryableStepException($"The sfp CLI is not installed: no sfp on PATH; {InstallHint}.");

        // node_modules/.bin/sfp links to node_modules/@flxbl-io/sfp/bin/run.
        var target = File.ResolveLinkTarget(onPath, returnFinalTarget: true)?.FullName ?? onPath;
        var package = Path.GetDirectoryName(Path.GetDirectoryName(target))!;
        return (onPath, Path.GetDirectoryName(Path.GetDirectoryName(package))!);
    }
}
