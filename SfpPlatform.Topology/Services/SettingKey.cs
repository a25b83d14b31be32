using System.Globalization;
using System.Text;

namespace SfpPlatform.Topology.Services;

/// <summary>
/// Builds .NET configuration keys as environment variable names (<c>Section__Property</c>), from the options classes'
/// section constants and <c>nameof</c> of their properties, so a key is never typed out as a string.
/// </summary>
public static class SettingKey
{
    public static string Of(params string[] path) =>
        string.Join("__", path.SelectMany(p => p.Split(':')));
}
