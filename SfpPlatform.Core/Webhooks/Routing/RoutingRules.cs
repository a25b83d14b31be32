using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Webhooks.Routing;

/// <summary>Evaluates rules (first match wins) and validates rule sets.</summary>
public static class RoutingRules
{
    /// <summary>A branch pattern standing for the repository's default branch.</summary>
    public const string DefaultBranch = "{default}";

    public const int MaxRules = 100;

    private static readonly ConcurrentDictionary<string, Regex> Globs = new(StringComparer.Ordinal);

    private enum Miss { None, Event, Provider, Action, Branch, Draft, Bot }

    public static RoutingDecision Route(ProviderEvent e, IReadOnlyList<RoutingRule> rules)
    {
        if (e.Problem is not null)
        {
            return new RoutingDecision(null, e.Problem);
        }

        var closest = (Miss: Miss.Event, Rule: (RoutingRule?)null);
        for (var i = 0; i < rules.Count; i++)
        {
            var miss = Match(rules[i], e);
            if (miss == Miss.None)
            {
                return new RoutingDecision(rules[i], $"rule {i + 1} ({Describe(rules[i])}) matched");
            }

            if (miss > closest.Miss)
            {
                closest = (miss, rules[i]);
            }
        }

        var what = e.Action is null ? e.Name : $"{e.Name} {e.Action}";
        var reason = closest.Miss switch
        {
            Miss.Draft => $"{what}: draft pull requests are skipped ({Describe(closest.Rule!)})",
            Miss.Bot => $"{what}: sent by a bot ({e.Sender?.Login}); bots are ignored ({Describe(closest.Rule!)})",
            Miss.Branch => $"{what}: branch '{e.Branch ?? "(none)"}' matches no rule's branches ({Describe(closest.Rule!)})",
            _ => $"{what}: no rule for this event",
        };
        return new RoutingDecision(null, reason);
    }

    private static Miss Match(RoutingRule rule, ProviderEvent e)
    {
        if (!string.Equals(rule.Event, e.Name, StringComparison.Ordinal))
        {
            return Miss.Event;
        }

        if (rule.Provider is not null && rule.Provider != e.Provider)
        {
            return Miss.Provider;
        }

        if (rule.Actions is { Count: > 0 } actions && (e.Action is null || !actions.Contains(e.Action)))
        {
            return Miss.Action;
        }

        if (rule.Branches is { Count: > 0 } branches && !branches.Any(b => BranchMatches(b, e)))
        {
            return Miss.Branch;
        }

        if (!rule.IncludeDrafts && e.PullRequest?.Draft == true)
        {
            return Miss.Draft;
        }

        return !rule.IncludeBots && e.Sender?.IsBot == true ? Miss.Bot : Miss.None;
    }

    private static bool BranchMatches(string pattern, ProviderEvent e)
    {
        if (e.Branch is null)
        {
            return false;
        }

        if (pattern == DefaultBranch)
        {
            return e.Repository?.DefaultBranch is { } defaultBranch && defaultBranch == e.Branch;
        }

        return Globs.GetOrAdd(pattern, Compile).IsMatch(e.Branch);
    }

    /// <summary><c>**</c> matches across <c>/</c>, <c>*</c> and <c>?</c> within one path segment.</summary>
    private static Regex Compile(string glob)
    {
        var pattern = Regex.Escape(glob).Replace(@"\*\*", "\u0001", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal)
            .Replace("\u0001", ".*", StringComparison.Ordinal);
        return new Regex($"^{pattern}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    }

    private static string Describe(RoutingRule rule)
    {
        var actions = rule.Actions is { Count: > 0 } a ? $" {string.Join('|', a)}" : "";
        var branches = rule.Branches is { Count: > 0 } b ? $" on {string.Join(", ", b)}" : "";
        return $"{rule.Event}{actions}{branches} → {rule.Workflow}";
    }

    /// <summary>Checks a rule set; errors are keyed <c>rules[i].field</c> with a precise message.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<RoutingRule?>? rules)
    {
        var errors = new Dictionary<string, string[]>();
        if (rules is null)
        {
            errors["rules"] = ["The rules are required: an array of rules (it may be empty, which routes nothing)."];
            return errors;
        }

        if (rules.Count > MaxRules)
        {
            errors["rules"] = [$"At most {MaxRules} rules per project."];
            return errors;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"rules[{i}]";
            if (rules[i] is not { } rule)
            {
                errors[path] = ["A rule is an object."];
                continue;
            }

            if (!IsName(rule.Event))
            {
                errors[$"{path}.event"] = ["The event is required: push, pull_request, command, comment, or a provider event name (letters, digits, '.', '_', '-')."];
            }

            if (!WorkflowNames.Routable.Contains(rule.Workflow))
            {
                errors[$"{path}.workflow"] = [$"'{rule.Workflow}' is not a workflow an event can start: use one of {string.Join(", ", WorkflowNames.Routable)}."];
            }

            if (rule.Provider is not null && !WebhookProviders.All.Contains(rule.Provider))
            {
                errors[$"{path}.provider"] = [$"'{rule.Provider}' is not a provider: use {string.Join(" or ", WebhookProviders.All)}, or leave it out for both."];
            }

            if (rule.Actions?.Any(a => !IsName(a)) == true)
            {
                errors[$"{path}.actions"] = ["Each action is a non-empty name (letters, digits, '.', '_', '-')."];
            }

            if (rule.Branches?.Any(b => string.IsNullOrWhiteSpace(b) || b.Length > 200 || b.Any(char.IsControl)) == true)
            {
                errors[$"{path}.branches"] = ["Each branch pattern is a non-empty glob of at most 200 characters ('*', '**', '?', or {default})."];
            }
        }

        return errors;
    }

    private static bool IsName(string? value) =>
        value is { Length: > 0 and <= 100 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
