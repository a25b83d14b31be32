using System.Globalization;
using System.Text;

namespace SfpPlatform.Topology.Services;

/// <summary>
/// The value of one environment setting, said once and rendered per runtime: compose renders text with <c>${VAR}</c>
/// references, the AppHost renders parameters, endpoint references and connection strings.
/// </summary>
public abstract record SettingValue
{
    /// <summary>A literal.</summary>
    public sealed record Text(string Value) : SettingValue;

    /// <summary>An operator's value (<c>.env</c> in production, a parameter in the AppHost).</summary>
    public sealed record Variable(OperatorVariable Of) : SettingValue;

    /// <summary>Another service's endpoint, as the consumer reaches it.</summary>
    public sealed record Endpoint(string Service, string Port, EndpointPart Part) : SettingValue;

    /// <summary>The Npgsql connection string of a platform database (as the Postgres superuser).</summary>
    public sealed record ConnectionString(string Database) : SettingValue;

    /// <summary>The public site's URL (<c>https://SFP_PUBLIC_HOST</c>; the edge's <c>http://localhost:port</c>) and a path.</summary>
    public sealed record PublicUrl(string Path) : SettingValue;

    /// <summary>An admin service's URL on its allowlisted edge port.</summary>
    public sealed record AdminUrl(string AdminId) : SettingValue;

    /// <summary>The admin host name (<c>SFP_ADMIN_HOST</c>; <c>localhost</c> under the AppHost).</summary>
    public sealed record AdminHost : SettingValue;

    /// <summary>One value in production (compose), another under the AppHost (plain HTTP on localhost).</summary>
    public sealed record PerRuntime(SettingValue Production, SettingValue Development) : SettingValue;

    /// <summary>Parts written one after the other.</summary>
    public sealed record Concat(IReadOnlyList<SettingValue> Parts) : SettingValue;

    public static implicit operator SettingValue(string text) => new Text(text);

    public static implicit operator SettingValue(OperatorVariable variable) => new Variable(variable);

    public static implicit operator SettingValue(int number) => new Text(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Builds a value from an interpolated string whose holes are values, variables or literals, e.g.
    /// <c>$"postgres://{user}:{password}@{postgres}/sfp"</c>.
    /// </summary>
    public static SettingValue Format(FormattableString format)
    {
        var parts = new List<SettingValue>();
        var literal = new StringBuilder();
        var text = format.Format;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
                continue;
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            var end = text.IndexOf('}', i);
            var index = int.Parse(text.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture);
            Flush();
            parts.Add(format.GetArgument(index) switch
            {
                SettingValue value => value,
                OperatorVariable variable => new Variable(variable),
                string s => new Text(s),
                IFormattable f => new Text(f.ToString(null, CultureInfo.InvariantCulture)),
                var other => throw new ArgumentException($"A setting cannot hold {other?.GetType().Name ?? "null"}."),
            });
            i = end;
        }

        Flush();
        return parts.Count == 1 ? parts[0] : new Concat(parts);

        void Flush()
        {
            if (literal.Length > 0)
            {
                parts.Add(new Text(literal.ToString()));
                literal.Clear();
            }
        }
    }

    /// <summary>Every part of this value, depth first (for finding the variables and services it needs).</summary>
    public IEnumerable<SettingValue> Flatten()
    {
        yield return this;
        var children = this switch
        {
            Concat concat => concat.Parts,
            PerRuntime both => [both.Production, both.Development],
            _ => (IReadOnlyList<SettingValue>)[],
        };
        foreach (var child in children.SelectMany(c => c.Flatten()))
        {
            yield return child;
        }
    }
}
