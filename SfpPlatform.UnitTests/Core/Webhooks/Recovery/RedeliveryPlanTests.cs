using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.UnitTests.Core.Webhooks.Recovery;

/// <summary>Which listed deliveries the recovery asks GitHub for, and where the next pass starts.</summary>
public sealed class RedeliveryPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, (DateTimeOffset, int)> NoRequests = [];

    private static GitHubHookDelivery Attempt(long id, string guid, int status, TimeSpan? age = null, bool redelivery = false) =>
        new(id, guid, Now - (age ?? TimeSpan.FromMinutes(5)), redelivery, status == 200 ? "OK" : $"Invalid HTTP Response: {status}", status, "pull_request", "opened", 1, 2);

    [Fact]
    public void AsksForFailedDeliveriesNotStored_OnlyThoseAnotherAttemptCanMend()
    {
        var listed = new[]
        {
            Attempt(10, "refused-503", 503),
            Attempt(11, "timed-out", 0),
            Attempt(12, "bad-signature", 401),
            Attempt(13, "stored-anyway", 503),
            Attempt(14, "delivered", 200),
            Attempt(15, "rate-limited", 429),
        };

        var plan = RedeliveryPlan.Select(listed, new HashSet<string> { "stored-anyway" }, NoRequests, Now, checkedThroughId: 0);

        Assert.Equal(["refused-503", "timed-out", "rate-limited"], plan.Ask.Select(d => d.Guid));
        Assert.Equal(0, plan.Expired);
        // Three were asked: the next pass must look at them again, so it starts just below the oldest.
        Assert.Equal(9, plan.CheckedThroughId);
    }

    [Fact]
    public void GuidRedeliveredSuccessfully_IsNotAskedAgain_AndAFailedRedeliveryIsAskedByItsLatestAttempt()
    {
        var listed = new[]
        {
            Attempt(20, "mended", 503), Attempt(25, "mended", 200, redelivery: true),
            Attempt(21, "still-failing", 503), Attempt(26, "still-failing", 502, redelivery: true),
        };
        var requests = new Dictionary<string, (DateTimeOffset, int)> { ["mended"] = (Now.AddMinutes(-20), 1), ["still-failing"] = (Now.AddMinutes(-20), 1) };

        var plan = RedeliveryPlan.Select(listed, new HashSet<string>(), requests, Now, checkedThroughId: 0);

        var asked = Assert.Single(plan.Ask);
        Assert.Equal(("still-failing", 26L), (asked.Guid, asked.Id));
    }

    [Fact]
    public void OutsideGitHubsWindow_IsCountedExpired_NotAsked()
    {
        var listed = new[] { Attempt(30, "old", 503, age: TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1)), Attempt(31, "new", 503) };

        var plan = RedeliveryPlan.Select(listed, new HashSet<string>(), NoRequests, Now, checkedThroughId: 0);

        Assert.Equal("new", Assert.Single(plan.Ask).Guid);
        Assert.Equal(1, plan.Expired);
    }

    [Fact]
    public void AskedMomentsAgo_OrTooOften_IsNotAsked_ButOnlyTheFirstKeepsTheCursorBack()
    {
        var listed = new[] { Attempt(40, "just-asked", 503), Attempt(41, "given-up", 503), Attempt(42, "fine", 200) };
        var requests = new Dictionary<string, (DateTimeOffset, int)>
        {
            ["just-asked"] = (Now.AddSeconds(-30), 1),
            ["given-up"] = (Now.AddHours(-1), DeliveryRecovery.MaxAttempts),
        };

        var plan = RedeliveryPlan.Select(listed, new HashSet<string>(), requests, Now, checkedThroughId: 7);

        Assert.Empty(plan.Ask);
        Assert.Equal(39, plan.CheckedThroughId);
    }

    [Fact]
    public void EverythingSettled_MovesTheCursorToTheNewest_AndNothingListedKeepsIt()
    {
        var settled = RedeliveryPlan.Select([Attempt(50, "a", 200), Attempt(51, "b", 404)], new HashSet<string>(), NoRequests, Now, checkedThroughId: 3);
        var empty = RedeliveryPlan.Select([], new HashSet<string>(), NoRequests, Now, checkedThroughId: 3);

        Assert.Equal(51, settled.CheckedThroughId);
        Assert.Equal(3, empty.CheckedThroughId);
    }
}
