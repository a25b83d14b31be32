namespace SfpPlatform.Core.Packages;

/// <summary>
/// Where the Workers find the sfp CLI (<c>SfpCli</c>): the pinned npm install of <c>tools/sfp</c>. The AppHost sets
/// <see cref="BinDirectory"/> to <c>tools/sfp/node_modules/.bin</c>; the workers image installs the same package and
/// names its <c>.bin</c> the same way (and puts it on PATH). Unset, <c>sfp</c> is looked up on PATH.
/// </summary>
public sealed class SfpCliOptions
{
    public const string SectionName = "SfpCli";

    /// <summary>The setting as an environment variable, for the AppHost and the image.</summary>
    public const string BinDirectoryVariable = SectionName + "__" + nameof(BinDirectory);

    /// <summary>The install's <c>node_modules/.bin</c> (holding <c>sfp</c>).</summary>
    public string? BinDirectory { get; set; }
}
