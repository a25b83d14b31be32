using System.Text.Json.Nodes;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The pinned sfp's own description of its commands and their flags — <c>sfp commands --json</c> of the install in
/// <c>tools/sfp</c> (the package ships no oclif manifest file; this is the manifest oclif builds from the command
/// classes) — and a check of a command line against it the way oclif's parser checks: the command exists, every flag
/// is one of its flags (by name, alias or character), options get a value from their list, and the required,
/// dependent and exclusive flags hold.
/// </summary>
public sealed class SfpCliManifest
{
    private static readonly Lazy<Task<SfpCliManifest>> Loaded = new(LoadAsync);

    private readonly Dictionary<string, JsonObject> _commands;

    private SfpCliManifest(Dictionary<string, JsonObject> commands) => _commands = commands;

    /// <summary>The install's <c>node_modules/.bin</c> (what the AppHost gives the Workers).</summary>
    public static string BinDirectory => Path.Combine(RepositoryPaths.Root, "tools", "sfp", "node_modules", ".bin");

    public static string Executable => Path.Combine(BinDirectory, "sfp");

    public static Task<SfpCliManifest> GetAsync() => Loaded.Value;

    /// <summary>The command's flags by name, as the CLI lists them.</summary>
    public IReadOnlyDictionary<string, JsonObject> Flags(string commandId) =>
        _commands[commandId]["flags"]!.AsObject().ToDictionary(f => f.Key, f => f.Value!.AsObject());

    /// <summary>What sfp's parser would refuse in <paramref name="arguments"/> (the words after <c>sfp</c>); empty when it parses.</summary>
    public IReadOnlyList<string> Problems(IReadOnlyList<string> arguments)
    {
        var words = arguments.TakeWhile(a => !a.StartsWith('-')).Take(3).ToList();
        while (words.Count > 0 && !_commands.ContainsKey(string.Join(':', words)))
        {
            words.RemoveAt(words.Count - 1);
        }

        if (words.Count == 0)
        {
            return [$"sfp has no command '{string.Join(' ', arguments.TakeWhile(a => !a.StartsWith('-')))}'"];
        }

        var id = string.Join(':', words);
        var flags = Flags(id);
        var problems = new List<string>();
        var given = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = words.Count; i < arguments.Count; i++)
        {
            var token = arguments[i];
            if (!token.StartsWith('-'))
            {
                problems.Add($"Unexpected argument: {token}");
                continue;
            }

            var (spelled, inline) = token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                ? (token[..eq], token[(eq + 1)..])
                : (token, null);
            var match = flags.FirstOrDefault(f => Names(f.Key, f.Value).Contains(spelled, StringComparer.Ordinal));
            if (match.Key is null)
            {
                problems.Add($"Nonexistent flag: {spelled}");
                continue;
            }

            given[match.Key] = given.GetValueOrDefault(match.Key) + 1;
            if (given[match.Key] > 1 && match.Value["multiple"]?.GetValue<bool>() != true)
            {
                problems.Add($"--{match.Key} can only be specified once");
            }

            if (match.Value["type"]!.GetValue<string>() != "option")
            {
                continue;
            }

            var value = inline ?? (i + 1 < arguments.Count && !arguments[i + 1].StartsWith('-') ? arguments[++i] : null);
            if (value is null)
            {
                problems.Add($"Flag --{match.Key} expects a value");
            }
            else if (match.Value["options"] is JsonArray options && !options.Select(o => o!.GetValue<string>()).Contains(value, StringComparer.Ordinal))
            {
                problems.Add($"Expected --{match.Key}={value} to be one of: {string.Join(", ", options)}");
            }
        }

        foreach (var (name, flag) in flags)
        {
            if (flag["required"]?.GetValue<bool>() == true && !given.ContainsKey(name))
            {
                problems.Add($"Missing required flag {name}");
            }

            if (!given.ContainsKey(name))
            {
                continue;
            }

            problems.AddRange(Names(flag, "dependsOn").Where(d => !given.ContainsKey(d)).Select(d => $"All of the following must be provided when using --{name}: --{d}"));
            problems.AddRange(Names(flag, "exclusive").Where(given.ContainsKey).Select(x => $"--{x} cannot also be provided when using --{name}"));
        }

        return problems;
    }

    private static IEnumerable<string> Names(string name, JsonObject flag) =>
        new[] { $"--{name}" }
            .Concat(Names(flag, "aliases").Select(a => $"--{a}"))       // oclif's aliases are long names, even one letter
            .Concat(Names(flag, "charAliases").Select(a => $"-{a}"))
            .Concat(flag["char"] is { } c ? [$"-{c.GetValue<string>()}"] : []);

    private static IEnumerable<string> Names(JsonObject flag, string property) =>
        flag[property] is JsonArray values ? values.Select(v => v!.GetValue<string>()) : [];

    private static async Task<SfpCliManifest> LoadAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"The sfp CLI is not installed at {Executable}: run `npm ci --prefix tools/sfp` (./test.sh does).");
        }

        // Into a file, not a pipe: oclif gives a slow pipe reader ten seconds to drain the half megabyte, then fails.
        using var home = new TestFolder();
        var file = Path.Combine(home.Path, "commands.json");
        var listed = await TestProcess.RunAsync("/bin/sh", ["-c", "\"$0\" commands --json > \"$1\"", Executable, file],
            new Dictionary<string, string?> { ["HOME"] = home.Path, ["SF_DISABLE_TELEMETRY"] = "true", ["SFPOWERSCRIPTS_NOCOLOR"] = "true" });
        if (listed.ExitCode != 0)
        {
            throw new InvalidOperationException($"sfp commands --json failed ({listed.ExitCode}): {listed.Error}");
        }

        var commands = JsonNode.Parse(await File.ReadAllTextAsync(file))!.AsArray().Select(c => c!.AsObject())
            .ToDictionary(c => c["id"]!.GetValue<string>(), StringComparer.Ordinal);
        return new SfpCliManifest(commands);
    }
}
