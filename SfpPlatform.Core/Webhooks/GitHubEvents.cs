using System.Text.Json;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// Reads GitHub deliveries through Octokit.Webhooks' event models and reduces them to a <see cref="ProviderEvent"/>.
/// </summary>
public static class GitHubEvents
{
    /// <summary>Every event GitHub documents (<see cref="WebhookEventType"/>); anything else is not a GitHub event.</summary>
    public static readonly IReadOnlySet<string> Known = typeof(WebhookEventType)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Normalises one delivery from its parsed payload (a JSON object). Push, pull_request and issue_comment are read
    /// through Octokit's models, bound from the element's own bytes; a body that does not fit its model is still an
    /// authentic delivery: it comes back with <see cref="ProviderEvent.Problem"/> set, to be stored and not routed.
    /// Other events need only the common fields, read from the element.
    /// </summary>
    public static ProviderEvent Normalize(string eventName, JsonElement root)
    {
        try
        {
            return eventName switch
            {
                WebhookEventType.Push => Push(Deserialize<PushEvent>(root)),
                WebhookEventType.PullRequest => PullRequest(Deserialize<PullRequestEvent>(root)),
                WebhookEventType.IssueComment => IssueComment(Deserialize<IssueCommentEvent>(root)),
                _ => Lenient(eventName, root),
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // The models' converters throw more than JsonException for values they cannot bind (a number beyond
            // Int64, a malformed date): the body is still authentic, so it is stored, unrouted, with the reason.
            return Lenient(eventName, root) with { Problem = $"the {eventName} payload does not match GitHub's schema: {e.Message}" };
        }
    }

    /// <summary>Normalises a stored body (a replay): parsed once, then as <see cref="Normalize(string, JsonElement)"/>.</summary>
    public static ProviderEvent Normalize(string eventName, ReadOnlyMemory<byte> body)
    {
        using var payload = WebhookPayload.Parse(body);
        return payload.Error == WebhookPayloadError.TooDeep ? TooDeep(eventName, payload) : Normalize(eventName, payload.Root);
    }

    /// <summary>A body nested too deep to read as a document: its action, and the reason it is stored unrouted.</summary>
    public static ProviderEvent TooDeep(string eventName, WebhookPayload payload) => new()
    {
        Provider = WebhookProviders.GitHub,
        Name = eventName,
        Action = payload.TopLevelString("action"),
        Problem = $"the payload nests deeper than {WebhookPayload.MaxDepth} levels; it is stored, not routed",
    };

    private static T Deserialize<T>(JsonElement root) where T : WebhookEvent =>
        root.Deserialize<T>() ?? throw new JsonException("The payload is JSON null, not an object.");

    /// <summary>The fields every event shares, read without a schema (GitHub's models are strict; these events are only stored).</summary>
    private static ProviderEvent Lenient(string eventName, JsonElement root)
    {
        var repository = Property(root, "repository");
        var sender = Property(root, "sender");
        var login = Text(sender, "login");
        return new ProviderEvent
        {
            Provider = WebhookProviders.GitHub,
            Name = eventName,
            Action = Text(root, "action"),
            Repository = Text(repository, "full_name") is { } fullName
                ? new EventRepository(fullName, Property(repository, "id") is { ValueKind: JsonValueKind.Number } id ? id.GetRawText() : null,
                    Text(repository, "clone_url"), Text(repository, "default_branch"))
                : null,
            Sender = login is null ? null : new EventActor(login, IsBot(Text(sender, "type"), login)),
            InstallationId = Property(Property(root, "installation"), "id") is { ValueKind: JsonValueKind.Number } installation
                && installation.TryGetInt64(out var installationId) ? installationId : null,
            Organization = Text(Property(root, "organization"), "login"),
        };
    }

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static ProviderEvent Push(PushEvent e)
    {
        const string heads = "refs/heads/";
        return Common(WebhookEventType.Push, e) with
        {
            Action = e.Deleted ? "deleted" : "pushed",
            Branch = e.Ref?.StartsWith(heads, StringComparison.Ordinal) == true ? e.Ref[heads.Length..] : null,
            Sha = e.Deleted ? null : e.After,
            ChangedPaths = ChangedPaths(e),
        };
    }

    /// <summary>The paths the pushed commits touch; null when the payload cannot tell (a new branch, a forced
    /// push, or GitHub's cap of 2,048 commits reached).</summary>
    private static IReadOnlyList<string>? ChangedPaths(PushEvent e)
    {
        var commits = e.Commits?.ToList();
        if (commits is null || commits.Count == 0 || commits.Count >= 2048 || e.Created || e.Forced)
        {
            return null;
        }

        return [.. commits.SelectMany(c => (c.Added ?? []).Concat(c.Modified ?? []).Concat(c.Removed ?? [])).Distinct(StringComparer.Ordinal)];
    }

    private static ProviderEvent PullRequest(PullRequestEvent e)
    {
        var pr = e.PullRequest;
        return Common(WebhookEventType.PullRequest, e) with
        {
            Branch = pr?.Base?.Ref,
            Sha = pr?.Head?.Sha,
            PullRequest = pr is null ? null : new EventPullRequest(
                e.Number, pr.Head?.Ref, pr.Head?.Sha, pr.Base?.Ref, pr.Draft, pr.Merged == true, pr.Title, pr.Base?.Sha),
        };
    }

    private static ProviderEvent IssueComment(IssueCommentEvent e)
    {
        var common = Common(WebhookEventType.IssueComment, e);
        if (e.Issue?.PullRequest is null)
        {
            // A comment on an issue, not on a pull request: nothing the platform acts on by default.
            return common;
        }

        var command = SfpCommand.TryParse(e.Comment?.Body);
        return common with
        {
            Name = command is null ? "comment" : "command",
            PullRequest = new EventPullRequest(e.Issue.Number, null, null, null, Draft: false, Merged: false, e.Issue.Title),
            Comment = e.Comment is null ? null : new EventComment(e.Comment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Comment.Body),
            Command = command,
        };
    }

    private static ProviderEvent Common(string name, WebhookEvent e) => new()
    {
        Provider = WebhookProviders.GitHub,
        Name = name,
        Action = e.Action,
        Repository = e.Repository is { } r
            ? new EventRepository(r.FullName, r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.CloneUrl, r.DefaultBranch)
            : null,
        Sender = e.Sender is { } s ? new EventActor(s.Login, IsBot(s.Type.StringValue, s.Login)) : null,
        InstallationId = e.Installation?.Id,
        Organization = e.Organization?.Login,
    };

    /// <summary>A GitHub App (type Bot), or a login GitHub gives bots.</summary>
    private static bool IsBot(string? type, string login) =>
        string.Equals(type, "Bot", StringComparison.OrdinalIgnoreCase) || login.EndsWith("[bot]", StringComparison.Ordinal);
}
