using System.Globalization;
using SfpPlatform.Workers.Processes;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>
/// The sfp 39 command lines the workflows run, with the flags the real CLI requires (its <c>sfp commands --json</c>
/// listing is the reference; a test checks every line built here against it). Orgs are named by the aliases the
/// workspace's auth store holds.
/// </summary>
public static class SfpCommands
{
    /// <summary>The alias the project's dev hub is logged in under.</summary>
    public const string DevHubAlias = "devhub";

    /// <summary>The directory (relative to the source) <c>sfp build</c> writes and <c>sfp publish</c> reads.</summary>
    public const string ArtifactDirectory = "artifacts";

    /// <summary>sfp validate's <c>--mode</c> values.</summary>
    public static readonly IReadOnlyList<string> ValidationModes = ["individual", "fastfeedback", "thorough", "ff-release-config", "thorough-release-config"];

    /// <summary><c>sfp org login url -f file -a alias</c>: signs an org in from an sfdx auth URL in a file.</summary>
    public static SfpCommandLine OrgLoginUrl(string authUrlFile, string alias) =>
        new(["org", "login", "url", "-f", authUrlFile, "-a", alias]);

    /// <summary>Validates against an org fetched from the pools (no review org is leased to the pull request).</summary>
    public static SfpCommandLine ValidatePool(ValidateOptions options, PullRequestRefs? refs) =>
        new([
            "validate", "pool", .. options.EffectivePools.SelectMany(p => new[] { "-p", p }), "-v", DevHubAlias, "--mode", options.Mode,
            .. Refs(refs), .. options.Arguments ?? []]);

    /// <summary>Validates against the review org leased to the pull request, logged in as <paramref name="orgAlias"/>.</summary>
    public static SfpCommandLine ValidateOrg(ValidateOptions options, string orgAlias, PullRequestRefs? refs) =>
        new([
            "validate", "org", "-o", orgAlias, "-v", DevHubAlias, "--mode", options.Mode,
            .. Refs(refs), .. options.Arguments ?? []]);

    /// <summary>Builds <paramref name="packages"/> (all of them when empty) as artifacts numbered by the platform.</summary>
    public static SfpCommandLine Build(BuildOptions options, string branch, long buildNumber, IReadOnlyList<string> packages) =>
        new([
            "build", "-v", DevHubAlias, "--branch", branch, "--buildnumber", buildNumber.ToString(CultureInfo.InvariantCulture),
            "--artifactdir", ArtifactDirectory, .. packages.SelectMany(p => new[] { "-p", p }), .. options.Arguments ?? []]);

    /// <summary>Publishes the built artifacts to the npm registry the <c>.npmrc</c> names, under the project's scope.</summary>
    public static SfpCommandLine Publish(BuildOptions options, string scope, string npmrcPath) =>
        new([
            "publish", "-d", ArtifactDirectory, "--npm", "--scope", scope, "--npmrcpath", npmrcPath,
            .. options.PublishArguments ?? []]);

    /// <summary>
    /// Installs the artifacts release definitions name into the org logged in as <paramref name="orgAlias"/>, fetched
    /// from the npm registry (for the environments workflow).
    /// </summary>
    public static SfpCommandLine Release(IReadOnlyList<string> releaseDefinitions, string orgAlias, string scope, string npmrcPath, bool withDevHub) =>
        new([
            "release", .. releaseDefinitions.SelectMany(d => new[] { "-p", d }), "-o", orgAlias, "--npm", "--scope", scope, "--npmrcpath", npmrcPath,
            .. withDevHub ? new[] { "-v", DevHubAlias } : []]);

    /// <summary>A release definition of the artifacts at <paramref name="gitRef"/>, written to <paramref name="directory"/> (not pushed).</summary>
    public static SfpCommandLine ReleaseDefinitionGenerate(string gitRef, string releaseConfig, string releaseName, string directory) =>
        new(["releasedefinition", "generate", "-c", gitRef, "-f", releaseConfig, "-n", releaseName, "-d", directory, "--nopush"]);

    private static IEnumerable<string> Refs(PullRequestRefs? refs) =>
        refs is null ? [] : ["--ref", refs.Head, "--baseRef", refs.Base];
}
