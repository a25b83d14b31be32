using System.Text.Json;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Webhooks.Routing;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Contracts.Runs;

/// <summary>
/// The run input (<c>workflow_runs.input</c>): what the intake writes now is what it wrote before the contract
/// existed (an anonymous object), so rows stored then are read by the workflows as rows stored now. No stack.
/// </summary>
public sealed class RunInputContractTests
{
    public static TheoryData<string> Events => ["full", "minimal"];

    [Theory]
    [MemberData(nameof(Events))]
    public void RunInput_IsWrittenAsTheIntakeWroteItBefore(string which)
    {
        var e = Event(which);
        var (id, deliveryId, projectKey) = (Guid.NewGuid(), Guid.NewGuid().ToString(), which == "full" ? "acme" : null);

        // The intake's writer before the contract: an anonymous object with the routing rules' options.
        var before = JsonSerializer.Serialize(
            new { delivery = new { id, provider = e.Provider, deliveryId }, @event = e, projectKey }, RoutingRuleSet.JsonOptions);
        var now = JsonSerializer.Serialize(new RunInput(new RunDelivery(id, e.Provider, deliveryId), e, projectKey), RunInput.JsonOptions);

        Assert.Equal(before, now);
    }

    [Fact]
    public void StoredRunInput_IsReadBackWithEveryValue()
    {
        var e = Event("full");
        var stored = JsonSerializer.Serialize(
            new { delivery = new { id = Guid.Empty, provider = e.Provider, deliveryId = "72d3162e" }, @event = e, projectKey = "acme" }, RoutingRuleSet.JsonOptions);

        var input = JsonSerializer.Deserialize<RunInput>(stored, ContractJson.Strict)!;

        Assert.Equal(new RunDelivery(Guid.Empty, "github", "72d3162e"), input.Delivery);
        Assert.Equal("acme", input.ProjectKey);
        Assert.Equal(JsonSerializer.Serialize(e), JsonSerializer.Serialize(input.Event));
        Assert.Equal(new EventPullRequest(7, "feature/x", "abc123", "main", Draft: true, Merged: false, "Add X"), input.Event.PullRequest);
        Assert.Equal(("validate", true), (input.Event.Command!.Name, input.Event.Command.Known));
        Assert.Equal(["--fast"], input.Event.Command.Args);
    }

    [Fact]
    public void RunInput_WithoutADelivery_IsReadBack()
    {
        var input = JsonSerializer.Deserialize<RunInput>("""{"event":{"provider":"github","name":"push"}}""", RunInput.JsonOptions)!;

        Assert.Null(input.Delivery);
        Assert.Null(input.ProjectKey);
        Assert.Equal(("github", "push"), (input.Event.Provider, input.Event.Name));
    }

    private static ProviderEvent Event(string which) => which == "full"
        ? new ProviderEvent
        {
            Provider = "github",
            Name = "command",
            Action = "created",
            Repository = new EventRepository("acme/app", "42", "https://github.com/acme/app.git", "main"),
            Branch = "main",
            Sha = "abc123",
            PullRequest = new EventPullRequest(7, "feature/x", "abc123", "main", Draft: true, Merged: false, "Add X"),
            ChangedPaths = ["force-app/main/default/classes/A.cls"],
            Sender = new EventActor("octocat", IsBot: false),
            Comment = new EventComment("1001", "/sfp validate --fast"),
            Command = SfpCommand.TryParse("/sfp validate --fast"),
            InstallationId = 99,
            Organization = "acme",
            OrganizationUrl = "https://dev.azure.com/acme",
            Problem = "not read",
        }
        : new ProviderEvent { Provider = "github", Name = "push" };
}
