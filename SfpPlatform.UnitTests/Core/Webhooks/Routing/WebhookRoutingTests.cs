using System.Text.Json;
using System.Text.Json.Nodes;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks.Routing;

/// <summary>Normalisation and routing without the stack: Azure DevOps pull-request updates, commands, rule validation.</summary>
public sealed class WebhookRoutingTests
{
    private static JsonNode PullRequestUpdated() => JsonNode.Parse(File.ReadAllBytes(
        Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", "git.pullrequest.updated.json")))!;

    [Theory]
    [InlineData("completed", "Jamal Hartnett marked the pull request as completed", "closed", "review-env-teardown")]
    [InlineData("abandoned", "Jamal Hartnett abandoned the pull request", "closed", "review-env-teardown")]
    [InlineData("active", "Jamal Hartnett updated the source branch of pull request 1", "synchronize", "validate")]
    [InlineData("active", "Jamal Hartnett published the pull request", "ready_for_review", "validate")]
    [InlineData("active", "Jamal Hartnett reactivated the pull request", "reopened", "validate")]
    [InlineData("active", "Jamal Hartnett has approved pull request 1", "updated", null)]
    public void AzureDevOpsPullRequestUpdate_MapsOntoTheSameActions(string status, string message, string action, string? workflow)
    {
        var payload = PullRequestUpdated();
        payload["resource"]!["status"] = status;
        payload["message"]!["text"] = message;
        using var document = JsonDocument.Parse(payload.ToJsonString());

        var e = AzureDevOpsEvents.Normalize(document.RootElement);

        Assert.Equal("pull_request", e.Name);
        Assert.Equal(action, e.Action);
        Assert.Equal("master", e.Branch);
        Assert.Equal(status == "completed", e.PullRequest!.Merged);
        Assert.Equal(workflow, RoutingRules.Route(e, DefaultRoutingRules.Rules).Workflow);
    }

    [Fact]
    public void PullRequests_CarryTheirHeadAndBaseCommits_OnBothProviders()
    {
        // sfp validate's --ref and --baseRef come from these.
        var github = GitHubEvents.Normalize("pull_request", File.ReadAllBytes(
            Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json")));
        using var document = JsonDocument.Parse(File.ReadAllBytes(
            Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", "git.pullrequest.created.json")));
        var azure = AzureDevOpsEvents.Normalize(document.RootElement);

        Assert.Equal("f95f852bd8fca8fcc58a9a2d6c842781e32a215e", github.PullRequest!.BaseSha);
        Assert.NotEqual(github.PullRequest.BaseSha, github.PullRequest.HeadSha);
        Assert.Equal("53d54ac915144006c2c9e90d2c7d3880920db49c", azure.PullRequest!.HeadSha);
        Assert.Equal("a511f535b1ea495ee0c903badb68fbc83772c882", azure.PullRequest.BaseSha);
    }

    [Fact]
    public void AzureDevOpsDraftPullRequest_IsSkippedByDefault()
    {
        var payload = JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "azure-devops-hooks", "git.pullrequest.created.json")))!;
        payload["resource"]!["isDraft"] = true;
        using var document = JsonDocument.Parse(payload.ToJsonString());

        var decision = RoutingRules.Route(AzureDevOpsEvents.Normalize(document.RootElement), DefaultRoutingRules.Rules);

        Assert.Null(decision.Workflow);
        Assert.Contains("draft", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/sfp validate", "validate", true, new string[0])]
    [InlineData("/sfp   REVIEW-ENV  --org  pool-a\r\nthanks", "review-env", true, new[] { "--org", "pool-a" })]
    [InlineData("\n\n  /sfp release-env", "release-env", true, new string[0])]
    [InlineData("/sfp", "help", true, new string[0])]
    [InlineData("/sfp deploy prod", "deploy", true, new[] { "prod" })]
    [InlineData("/sfp launch prod", "launch", false, new[] { "prod" })]
    public void SfpCommand_IsParsedFromTheFirstLine(string body, string name, bool known, string[] args)
    {
        var command = SfpCommand.TryParse(body);

        Assert.NotNull(command);
        Assert.Equal(name, command.Name);
        Assert.Equal(known, command.Known);
        Assert.Equal(args, command.Args);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/sfpx validate")]
    [InlineData("please /sfp validate")]
    [InlineData("first line\n/sfp validate")]
    public void NonCommands_AreNotParsed(string body) => Assert.Null(SfpCommand.TryParse(body));

    [Fact]
    public void RuleOrder_FirstMatchWins_AndGlobsStayWithinSegments()
    {
        RoutingRule[] rules =
        [
            new() { Event = "push", Branches = ["hotfix/**"], Workflow = "validate" },
            new() { Event = "push", Branches = ["hotfix/*", "{default}"], Workflow = "build" },
        ];
        ProviderEvent Push(string branch) => new()
        {
            Provider = "github", Name = "push", Action = "pushed", Branch = branch,
            Repository = new EventRepository("o/r", "1", null, "main"),
        };

        Assert.Equal("validate", RoutingRules.Route(Push("hotfix/a/b"), rules).Workflow);
        Assert.Equal("validate", RoutingRules.Route(Push("hotfix/a"), rules).Workflow);
        Assert.Equal("build", RoutingRules.Route(Push("main"), rules).Workflow);
        Assert.Null(RoutingRules.Route(Push("mainline"), rules).Workflow);
    }
}
