using System.Text;

namespace SfpPlatform.Core.Environments;

/// <summary>
/// The release definition <c>sfp release -p</c> reads (sfp 39's <c>ReleaseDefinitionLoader</c>: YAML checked against
/// its <c>release-defn.schema.json</c>): the release name, <c>skipIfAlreadyInstalled</c>, and <c>artifacts</c> — each
/// sfdx package with the npm version sfp fetches as <c>@scope/&lt;package&gt;_sfpowerscripts_artifact@&lt;version&gt;</c>.
/// </summary>
public static class ReleaseDefinition
{
    public static string Write(string name, IReadOnlyList<ReleaseArtifact> artifacts)
    {
        var yaml = new StringBuilder();
        yaml.Append("release: ").Append(Quote(name)).Append('\n');
        yaml.Append("skipIfAlreadyInstalled: true\n");
        yaml.Append("artifacts:\n");
        foreach (var artifact in artifacts.OrderBy(a => a.Package, StringComparer.Ordinal))
        {
            yaml.Append("  ").Append(Quote(artifact.Package)).Append(": ").Append(Quote(artifact.Version)).Append('\n');
        }

        return yaml.ToString();
    }

    /// <summary>A YAML double-quoted scalar (so a version such as <c>1.0</c> stays a string, as the schema requires).</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
