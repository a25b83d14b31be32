using System.Globalization;
using System.Text.Json;

namespace SfpPlatform.Core.Webhooks;

/// <summary>
/// Reads Azure DevOps service-hook deliveries (there is no SDK for them here; the payload is the documented
/// <c>{id, eventType, message, resource, resourceContainers}</c> envelope) and reduces them to a <see cref="ProviderEvent"/>.
/// </summary>
public static class AzureDevOpsEvents
{
    public const string Push = "git.push";
    public const string PullRequestCreated = "git.pullrequest.created";
    public const string PullRequestUpdated = "git.pullrequest.updated";
    public const string PullRequestMerged = "git.pullrequest.merged";
    public const string PullRequestComment = "ms.vss-code.git-pullrequest-comment-event";

    private const string Heads = "refs/heads/";
    private const string ZeroCommit = "0000000000000000000000000000000000000000";

    /// <summary>The envelope's <c>id</c> and <c>eventType</c>; throws <see cref="JsonException"/> when either is missing.</summary>
    public static (string Id, string EventType) ReadEnvelope(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An Azure DevOps service-hook payload is a JSON object.");
        }

        var id = String(root, "id");
        var eventType = String(root, "eventType");
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(eventType))
        {
            throw new JsonException("An Azure DevOps service-hook payload carries a string 'id' and 'eventType'.");
        }

        return (id, eventType);
    }

    public static ProviderEvent Normalize(JsonElement root)
    {
        var (_, eventType) = ReadEnvelope(root);
        var resource = Object(root, "resource");
        var (organization, organizationUrl) = Organization(root, resource);
        var common = new ProviderEvent
        {
            Provider = WebhookProviders.AzureDevOps,
            Name = eventType,
            Organization = organization,
            OrganizationUrl = organizationUrl,
        };

        return eventType switch
        {
            Push => PushEvent(common, resource),
            PullRequestCreated or PullRequestUpdated or PullRequestMerged => PullRequestEvent(common, eventType, root, resource),
            PullRequestComment => CommentEvent(common, resource),
            _ => common,
        };
    }

    private static ProviderEvent PushEvent(ProviderEvent common, JsonElement resource)
    {
        var update = Object(resource, "refUpdates") is { ValueKind: JsonValueKind.Array } updates && updates.GetArrayLength() > 0
            ? updates[0] : default;
        var refName = String(update, "name");
        var newObjectId = String(update, "newObjectId");
        var deleted = newObjectId == ZeroCommit;
        return common with
        {
            Name = "push",
            Action = deleted ? "deleted" : "pushed",
            Repository = Repository(Object(resource, "repository")),
            Branch = refName?.StartsWith(Heads, StringComparison.Ordinal) == true ? refName[Heads.Length..] : null,
            Sha = deleted ? null : newObjectId,
            Sender = Actor(Object(resource, "pushedBy")),
        };
    }

    private static ProviderEvent PullRequestEvent(ProviderEvent common, string eventType, JsonElement root, JsonElement resource)
    {
        var status = String(resource, "status");
        var closed = status is "completed" or "abandoned";
        var message = String(Object(root, "message"), "text") ?? "";
        var action = eventType switch
        {
            PullRequestCreated => "opened",
            _ when closed => "closed",
            PullRequestMerged => "merge_attempted",
            _ when message.Contains("updated the source branch", StringComparison.OrdinalIgnoreCase) => "synchronize",
            _ when message.Contains("published", StringComparison.OrdinalIgnoreCase) => "ready_for_review",
            _ when message.Contains("reactivated", StringComparison.OrdinalIgnoreCase) => "reopened",
            _ => "updated",
        };

        var pullRequest = PullRequest(resource, merged: status == "completed");
        return common with
        {
            Name = "pull_request",
            Action = action,
            Repository = Repository(Object(resource, "repository")),
            Branch = pullRequest?.BaseBranch,
            Sha = pullRequest?.HeadSha,
            PullRequest = pullRequest,
            Sender = Actor(Object(resource, "createdBy")),
        };
    }

    private static ProviderEvent CommentEvent(ProviderEvent common, JsonElement resource)
    {
        var comment = Object(resource, "comment");
        var body = String(comment, "content");
        var published = String(comment, "publishedDate");
        var contentUpdated = String(comment, "lastContentUpdatedDate");
        var action = Bool(comment, "isDeleted") ? "deleted"
            : contentUpdated is not null && published is not null && contentUpdated != published ? "edited"
            : "created";
        var command = SfpCommand.TryParse(body);
        var pullRequest = Object(resource, "pullRequest");
        var author = Actor(Object(comment, "author"));
        var isSystem = String(comment, "commentType") == "system";
        return common with
        {
            Name = command is null ? "comment" : "command",
            Action = action,
            Repository = Repository(Object(pullRequest, "repository")),
            PullRequest = PullRequest(pullRequest, merged: String(pullRequest, "status") == "completed"),
            Branch = Branch(String(pullRequest, "targetRefName")),
            Comment = Number(comment, "id") is { } id ? new EventComment(id.ToString(CultureInfo.InvariantCulture), body) : null,
            Command = command,
            Sender = author is null ? (isSystem ? new EventActor("system", IsBot: true) : null) : author with { IsBot = author.IsBot || isSystem },
        };
    }

    private static EventPullRequest? PullRequest(JsonElement pr, bool merged) =>
        Number(pr, "pullRequestId") is { } number
            ? new EventPullRequest(number, Branch(String(pr, "sourceRefName")), String(Object(pr, "lastMergeSourceCommit"), "commitId"),
                Branch(String(pr, "targetRefName")), Bool(pr, "isDraft"), merged, String(pr, "title"),
                String(Object(pr, "lastMergeTargetCommit"), "commitId"))
            : null;

    private static EventRepository? Repository(JsonElement repository)
    {
        var name = String(repository, "name");
        if (name is null)
        {
            return null;
        }

        var project = String(Object(repository, "project"), "name");
        return new EventRepository(project is null ? name : $"{project}/{name}", String(repository, "id"), String(repository, "remoteUrl"),
            Branch(String(repository, "defaultBranch")));
    }

    private static EventActor? Actor(JsonElement identity)
    {
        var login = String(identity, "uniqueName") ?? String(identity, "displayName");
        if (login is null)
        {
            return null;
        }

        // Build and project-collection service identities are how automation shows up on Azure DevOps.
        var isBot = Bool(identity, "isContainer") || login.Contains("Build Service", StringComparison.OrdinalIgnoreCase)
            || login.StartsWith("Project Collection Build Service", StringComparison.OrdinalIgnoreCase);
        return new EventActor(login, isBot);
    }

    /// <summary>The organisation from <c>resourceContainers.account.baseUrl</c>, else from a repository URL.</summary>
    private static (string? Name, string? Url) Organization(JsonElement root, JsonElement resource)
    {
        var containers = Object(root, "resourceContainers");
        var candidates = new[]
        {
            String(Object(containers, "account"), "baseUrl"),
            String(Object(containers, "collection"), "baseUrl"),
            String(Object(resource, "repository"), "url"),
            String(Object(Object(resource, "pullRequest"), "repository"), "url"),
        };

        foreach (var candidate in candidates)
        {
            if (candidate is null || !Uri.TryCreate(candidate, UriKind.Absolute, out var uri))
            {
                continue;
            }

            if (uri.Host.Equals("dev.azure.com", StringComparison.OrdinalIgnoreCase) && uri.Segments.Length > 1)
            {
                var name = uri.Segments[1].TrimEnd('/');
                return (name, $"https://dev.azure.com/{name}");
            }

            if (uri.Host.EndsWith(".visualstudio.com", StringComparison.OrdinalIgnoreCase))
            {
                var name = uri.Host[..^".visualstudio.com".Length];
                return (name, $"https://{uri.Host}");
            }
        }

        return (null, null);
    }

    private static string? Branch(string? refName) =>
        refName?.StartsWith(Heads, StringComparison.Ordinal) == true ? refName[Heads.Length..] : refName;

    private static JsonElement Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement element, string name) =>
        Object(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        Object(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var n) ? n : null;

    private static bool Bool(JsonElement element, string name) =>
        Object(element, name).ValueKind == JsonValueKind.True;
}
