using System.Globalization;
using System.Text;

namespace SfpPlatform.Topology.Services;

/// <summary>One environment variable of a service, in the runtimes it applies to.</summary>
/// <param name="Key">The variable name; .NET services' keys come from their options classes (<see cref="SettingKey"/>).</param>
public sealed record EnvironmentSetting(string Key, SettingValue Value, Runtimes In = Runtimes.All);
