using System.Text.Json.Nodes;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks;

/// <summary>
/// Every real payload in the test data, parsed once (<see cref="WebhookPayload"/>) and normalised from that parse,
/// against what the payload itself says (read separately, through <see cref="JsonNode"/>).
/// </summary>
public sealed class PayloadNormalizationTests
{
    private static readonly string GitHubData = Path.Combine(RepositoryPaths.TestData, "github-webhooks");
    private static readonly string AzureDevOpsData = Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks");

    public static TheoryData<string> GitHubPayloads() =>
        [.. Directory.GetFiles(GitHubData, "*.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(GitHubData, f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> AzureDevOpsPayloads() =>
        [.. Directory.GetFiles(AzureDevOpsData, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void TestData_HasThePayloadsThisClassIsAbout()
    {
        Assert.True(GitHubPayloads().Count >= 70, "github-webhooks samples");
        Assert.True(AzureDevOpsPayloads().Count >= 12, "azure-devops-hooks samples");
    }

    [Theory]
    [MemberData(nameof(GitHubPayloads))]
    public void GitHubPayload_NormalisedFromOneParse_SaysWhatThePayloadSays(string file)
    {
        var eventName = Path.GetDirectoryName(file)!;
        var body = File.ReadAllBytes(Path.Combine(GitHubData, file));
        var json = JsonNode.Parse(body)!;

        using var payload = WebhookPayload.Parse(body);
        Assert.True(payload.IsValid, $"{file}: {payload.Error}");
        var e = GitHubEvents.Normalize(eventName, payload.Root);

        Assert.Null(e.Problem);
        Assert.Equal(WebhookProviders.GitHub, e.Provider);
        Assert.Equal(json["repository"]?["full_name"]?.GetValue<string>(), e.Repository?.FullName);
        Assert.Equal(json["repository"]?["id"]?.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), e.Repository?.Id);
        Assert.Equal(json["sender"]?["login"]?.GetValue<string>(), e.Sender?.Login);
        Assert.Equal(json["installation"]?["id"]?.GetValue<long>(), e.InstallationId);
        Assert.Equal(json["organization"]?["login"]?.GetValue<string>(), e.Organization);
        switch (eventName)
        {
            case "push":
                var deleted = json["deleted"]!.GetValue<bool>();
                Assert.Equal("push", e.Name);
                Assert.Equal(deleted ? "deleted" : "pushed", e.Action);
                var pushedRef = json["ref"]!.GetValue<string>();
                Assert.Equal(pushedRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? pushedRef["refs/heads/".Length..] : null, e.Branch);
                Assert.Equal(deleted ? null : json["after"]!.GetValue<string>(), e.Sha);
                break;
            case "pull_request":
                Assert.Equal("pull_request", e.Name);
                Assert.Equal(json["action"]!.GetValue<string>(), e.Action);
                Assert.Equal(json["number"]!.GetValue<long>(), e.PullRequest!.Number);
                Assert.Equal(json["pull_request"]!["head"]!["sha"]!.GetValue<string>(), e.Sha);
                Assert.Equal(json["pull_request"]!["base"]!["ref"]!.GetValue<string>(), e.Branch);
                Assert.Equal(json["pull_request"]!["draft"]?.GetValue<bool>() ?? false, e.PullRequest.Draft);
                break;
            case "issue_comment":
                var onPullRequest = json["issue"]!["pull_request"] is not null;
                Assert.Equal(json["action"]!.GetValue<string>(), e.Action);
                Assert.Equal(onPullRequest ? (e.Command is null ? "comment" : "command") : "issue_comment", e.Name);
                Assert.Equal(onPullRequest ? json["issue"]!["number"]!.GetValue<long>() : null, e.PullRequest?.Number);
                break;
            default:
                Assert.Equal(eventName, e.Name);
                Assert.Equal(json["action"]?.GetValue<string>(), e.Action);
                break;
        }
    }

    [Theory]
    [MemberData(nameof(AzureDevOpsPayloads))]
    public void AzureDevOpsPayload_NormalisedFromOneParse_SaysWhatThePayloadSays(string file)
    {
        var body = File.ReadAllBytes(Path.Combine(AzureDevOpsData, file));
        var json = JsonNode.Parse(body)!;
        var eventType = json["eventType"]!.GetValue<string>();
        var resource = json["resource"]!;

        using var payload = WebhookPayload.Parse(body);
        Assert.True(payload.IsValid, $"{file}: {payload.Error}");
        var (id, envelopeType) = AzureDevOpsEvents.ReadEnvelope(payload.Root);
        var e = AzureDevOpsEvents.Normalize(payload.Root);

        Assert.Equal(json["id"]!.GetValue<string>(), id);
        Assert.Equal(eventType, envelopeType);
        Assert.Equal(WebhookProviders.AzureDevOps, e.Provider);
        Assert.Null(e.Problem);
        switch (eventType)
        {
            case AzureDevOpsEvents.Push:
                var update = resource["refUpdates"]![0]!;
                Assert.Equal("push", e.Name);
                Assert.Equal("refs/heads/" + e.Branch, update["name"]!.GetValue<string>());
                Assert.Equal(update["newObjectId"]!.GetValue<string>(), e.Sha);
                Assert.Equal($"{resource["repository"]!["project"]!["name"]}/{resource["repository"]!["name"]}", e.Repository!.FullName);
                break;
            case AzureDevOpsEvents.PullRequestCreated or AzureDevOpsEvents.PullRequestUpdated or AzureDevOpsEvents.PullRequestMerged:
                Assert.Equal("pull_request", e.Name);
                Assert.Equal(resource["pullRequestId"]?.GetValue<long>(), e.PullRequest?.Number);
                Assert.Equal(resource["lastMergeSourceCommit"]?["commitId"]?.GetValue<string>(), e.Sha);
                break;
            case AzureDevOpsEvents.PullRequestComment:
                var content = resource["comment"]?["content"]?.GetValue<string>();
                Assert.Equal(content?.TrimStart().StartsWith("/sfp", StringComparison.Ordinal) == true ? "command" : "comment", e.Name);
                Assert.Equal(resource["pullRequest"]?["pullRequestId"]?.GetValue<long>(), e.PullRequest?.Number);
                Assert.Equal(content, e.Comment?.Body);
                break;
            default:
                Assert.Equal(eventType, e.Name);
                Assert.Null(e.PullRequest);
                break;
        }
    }
}
