namespace SfpPlatform.Core.Packages;

/// <summary>
/// Where the Workers find the sfp CLI (<c>SfpCli</c>): the pinned npm install of <c>tools/sfp</c>. The AppHost sets
/// <see cref="BinDirectory"/> to <c>tools/sfp/node_modules/.bin</c>; the workers image installs the same lock file and
/// links <c>sfp</c> onto PATH, where it is looked up when this is unset (or the image sets the same variable).
/// </summary>
public sealed class SfpCliOptions
{
    public const string SectionName = "SfpCli";

    /// <summary>The setting as an environment variable, for the AppHost and the image.</summary>
    public const string BinDirectoryVariable = SectionName + "__" + nameof(BinDirectory);

    /// <summary>The install's <c>node_modules/.bin</c> (holding <c>sfp</c>).</summary>
    public string? BinDirectory { get; set; }
}
