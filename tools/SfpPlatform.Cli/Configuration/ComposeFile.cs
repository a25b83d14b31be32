using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SfpPlatform.Cli.Configuration;

/// <summary>
/// <c>deploy/compose.yaml</c> read as compose reads it: YAML, then every <c>${…}</c> interpolated from an operator's
/// <c>.env</c> with compose's rules (<c>$$</c>, <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>, <c>${VAR-default}</c>,
/// <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>${VAR:+alternative}</c>): a colon form treats a blank value as unset.
/// </summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _services;

    private ComposeFile(YamlMappingNode services, IReadOnlyDictionary<string, string> variables)
    {
        _services = services;
        Variables = variables;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The <c>deploy/</c> folder of the clone this runs from (found above the working or the program's folder).</summary>
    public static string DeployDirectory => Path.Combine(RepositoryRoot.Find(), "deploy");

    /// <summary>The clone's <c>deploy/compose.yaml</c>, interpolated from <paramref name="dotEnv"/>.</summary>
    public static ComposeFile Load(IReadOnlyDictionary<string, string> dotEnv) =>
        Parse(File.ReadAllText(Path.Combine(DeployDirectory, "compose.yaml")), dotEnv);

    /// <summary>A compose file's text, interpolated from <paramref name="dotEnv"/>.</summary>
    public static ComposeFile Parse(string composeYaml, IReadOnlyDictionary<string, string> dotEnv)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(composeYaml));
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return new ComposeFile((YamlMappingNode)root["services"], dotEnv);
    }

    /// <summary>An operator's <c>.env</c>: <c>NAME=value</c> lines, comments and blank lines ignored, quotes removed.</summary>
    public static Dictionary<string, string> ParseDotEnv(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"line '{line.Trim()}' is not NAME=value.");
            }

            var value = line[(equals + 1)..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            values[line[..equals].Trim()] = value;
        }

        return values;
    }

    public IEnumerable<string> ServiceNames => _services.Children.Keys.Select(k => k.ToString());

    /// <summary>A service's environment after interpolation, as the container receives it.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var node = (YamlMappingNode)_services[service];
        if (!node.Children.TryGetValue("environment", out var environment))
        {
            return new Dictionary<string, string>();
        }

        return ((YamlMappingNode)environment).Children.ToDictionary(
            e => e.Key.ToString(), e => Interpolate(((YamlScalarNode)e.Value).Value ?? ""), StringComparer.Ordinal);
    }

    /// <summary>A service's volume entries after interpolation.</summary>
    public IReadOnlyList<string> Volumes(string service) =>
        ((YamlMappingNode)_services[service]).Children.TryGetValue("volumes", out var volumes)
            ? [.. ((YamlSequenceNode)volumes).Select(v => Interpolate(((YamlScalarNode)v).Value ?? ""))]
            : [];

    public string Image(string service) => Interpolate(((YamlScalarNode)((YamlMappingNode)_services[service])["image"]).Value ?? "");

    public string Interpolate(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    throw new ComposeInterpolationException($"invalid interpolation format for \"{text}\"");
                }

                result.Append(Substitute(text[(i + 2)..end]));
                i = end;
                continue;
            }

            var name = BareName().Match(text, i + 1);
            if (!name.Success || name.Index != i + 1)
            {
                throw new ComposeInterpolationException($"invalid interpolation format for \"{text}\"");
            }

            result.Append(Variables.GetValueOrDefault(name.Value, ""));
            i += name.Length;
        }

        return result.ToString();
    }

    private string Substitute(string expression)
    {
        var match = Expression().Match(expression);
        if (!match.Success)
        {
            throw new ComposeInterpolationException($"invalid interpolation format for \"${{{expression}}}\"");
        }

        var name = match.Groups["name"].Value;
        var set = Variables.TryGetValue(name, out var value);
        var colon = match.Groups["colon"].Success;
        var present = colon ? set && value!.Length > 0 : set;
        var argument = match.Groups["argument"].Value;
        return match.Groups["operator"].Value switch
        {
            "" => value ?? "",
            "-" => present ? value! : Interpolate(argument),
            "+" => present ? Interpolate(argument) : "",
            "?" => present ? value! : throw new ComposeInterpolationException($"required variable {name} is missing a value: {argument}"),
            _ => throw new ComposeInterpolationException($"invalid interpolation format for \"${{{expression}}}\""),
        };
    }

    [GeneratedRegex(@"\G[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex BareName();

    [GeneratedRegex("^(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<colon>:)?(?<operator>[-+?])(?<argument>.*))?$", RegexOptions.Singleline)]
    private static partial Regex Expression();
}

/// <summary>What compose says when it refuses the file with this <c>.env</c>.</summary>
public sealed class ComposeInterpolationException(string message) : Exception(message);
