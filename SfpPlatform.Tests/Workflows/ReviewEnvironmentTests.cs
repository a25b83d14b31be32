using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Workflows;

/// <summary>
/// Review environments end to end, with the stack configured with a two-org pool for one project: opening pull
/// requests leases the orgs until the pool runs out; <c>/sfp extend</c>, <c>/sfp release-env</c> and
/// <c>/sfp review-env</c> renew, free and lease again; closing a pull request tears its environment down. Every step
/// answers on the pull request through the GitHub stand-in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ReviewEnvironmentTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    [Fact]
    public async Task PoolOrgs_AreLeasedExtendedReleasedAndTornDown_PerPullRequest()
    {
        const string project = PlatformAppFixture.ReviewPoolProject;
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/reviewed";
        platform.GitHub.Installations[repository] = Random.Shared.NextInt64(1000, 1_000_000);
        platform.GitHub.Sources[repository] = new() { ["sfdx-project.json"] = """{"packageDirectories":[{"path":"force-app"}]}""" };
        await _webhooks.RegisterGitHubAppAsync(project);
        await _webhooks.RegisterSalesforceAsync(project);
        // The pool's orgs sign in with integrations of their own (found by the user the pool names).
        foreach (var org in PlatformAppFixture.ReviewPoolOrgs)
        {
            await _webhooks.RegisterSalesforceAuthUrlAsync(project, $"{org}@review.example.com");
        }

        var hook = await _webhooks.RegisterGitHubAsync(project);

        // Opening three pull requests: two orgs, so the third is told the pool is exhausted. A pull request holding an
        // org is validated against it (logged in under the org's name), the third against a pool's org.
        var validation = await OpenAsync(hook, repository, 101);
        AssertCommented(repository, 101, "Review environment `review-1` is leased to this pull request until");
        AssertCommented(repository, 101, "review-1@review.example.com");
        await _webhooks.AssertSucceedsAsync(validation, TimeSpan.FromMinutes(2));
        var log = await _webhooks.RunLogAsync(validation);
        Assert.Contains(log, l => l.StartsWith("$ sfp validate org -o review-1 -v devhub --mode thorough --ref ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.StartsWith("$ sfp org login url -f ", StringComparison.Ordinal) && l.EndsWith(" -a review-1", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("targetorg review-1 = review-1@review.example.com", StringComparison.Ordinal)
            && l.Contains("devhubalias devhub = ci@example.com", StringComparison.Ordinal));
        await OpenAsync(hook, repository, 102);
        AssertCommented(repository, 102, "`review-2` is leased");
        validation = await OpenAsync(hook, repository, 103);
        AssertCommented(repository, 103, "Every org of the `reviews` review-environment pool is leased");
        Assert.Equal(2, await ActiveLeasesAsync(repository));
        await _webhooks.AssertSucceedsAsync(validation, TimeSpan.FromMinutes(2));
        Assert.Contains(await _webhooks.RunLogAsync(validation), l => l.StartsWith("$ sfp validate pool -p ci -v devhub --mode thorough --ref ", StringComparison.Ordinal));

        // Extending renews the lease to 24 hours from now.
        var before = await _webhooks.ScalarAsync<DateTime>("SELECT expires_at FROM review_environment_leases WHERE repository = $1 AND pull_request = 101", repository);
        await CommandAsync(hook, repository, 101, "/sfp extend");
        AssertCommented(repository, 101, "`review-1` is now leased until");
        var after = await _webhooks.ScalarAsync<DateTime>("SELECT expires_at FROM review_environment_leases WHERE repository = $1 AND pull_request = 101", repository);
        Assert.True(after > before, $"{after:O} should be later than {before:O}");
        Assert.InRange(after - DateTime.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));

        // Releasing frees the org; the waiting pull request asks again and gets it.
        await CommandAsync(hook, repository, 101, "/sfp release-env");
        AssertCommented(repository, 101, "`review-1` was released");
        await CommandAsync(hook, repository, 103, "/sfp review-env");
        AssertCommented(repository, 103, "`review-1` is leased");

        // Closing a pull request tears its environment down.
        var closed = await SendPullRequestAsync(hook, repository, 102, "closed");
        Assert.Equal("review-env-teardown", closed.Workflow);
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(closed.RunId, TimeSpan.FromMinutes(1)));
        AssertCommented(repository, 102, "`review-2` was released as the pull request closed");

        // Nothing left to extend on a pull request without a lease.
        await CommandAsync(hook, repository, 102, "/sfp extend");
        AssertCommented(repository, 102, "holds no review environment to extend");
        Assert.Equal(1, await ActiveLeasesAsync(repository));
    }

    private Task<long> ActiveLeasesAsync(string repository) =>
        _webhooks.ScalarAsync<long>("SELECT count(*) FROM review_environment_leases WHERE repository = $1 AND released_at IS NULL", repository);

    /// <summary>Opens a pull request and waits for its validation and the review-environment run it starts; returns the validation.</summary>
    private async Task<Guid> OpenAsync(WebhookTestClient.GitHubHook hook, string repository, int number)
    {
        var opened = await SendPullRequestAsync(hook, repository, number, "opened");
        Assert.Equal("validate", opened.Workflow);
        await _webhooks.WaitForRunAsync(opened.RunId, TimeSpan.FromMinutes(2));
        await WaitForChildAsync($"review-env:{opened.RunId}");
        return opened.RunId;
    }

    /// <summary>Comments a command and waits for the command run and the run it dispatched.</summary>
    private async Task CommandAsync(WebhookTestClient.GitHubHook hook, string repository, int number, string command)
    {
        var payload = await PayloadAsync("issue_comment", "created.payload.json");
        payload["comment"]!["body"] = command;
        payload["sender"]!["login"] = "octocat";
        payload["repository"]!["full_name"] = repository;
        payload["issue"]!["number"] = number;
        payload["issue"]!["pull_request"] = new JsonObject { ["url"] = $"https://api.github.com/repos/{repository}/pulls/{number}" };
        var delivered = await _webhooks.SendGitHubAsync(hook, "issue_comment", Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        var runId = Guid.Parse(delivered.Text("runId")!);
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(runId, TimeSpan.FromMinutes(1)));
        await WaitForChildAsync($"command:{runId}");
    }

    private async Task<(string? Workflow, Guid RunId)> SendPullRequestAsync(WebhookTestClient.GitHubHook hook, string repository, int number, string action)
    {
        var payload = await PayloadAsync("pull_request", $"{action}.payload.json");
        payload["repository"]!["full_name"] = repository;
        payload["number"] = number;
        payload["pull_request"]!["number"] = number;
        var delivered = await _webhooks.SendGitHubAsync(hook, "pull_request", Encoding.UTF8.GetBytes(payload.ToJsonString()));
        Assert.True(delivered.Status == HttpStatusCode.OK, delivered.Body);
        return (delivered.Text("workflow"), Guid.Parse(delivered.Text("runId")!));
    }

    private async Task WaitForChildAsync(string idempotencyKey)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        Guid? child = null;
        while (child is null && DateTime.UtcNow < deadline)
        {
            child = await _webhooks.ScalarAsync<Guid?>("SELECT id FROM workflow_runs WHERE idempotency_key = $1", idempotencyKey);
            if (child is null)
            {
                await Task.Delay(100, Cancellation);
            }
        }

        Assert.True(child is not null, $"no run with idempotency key {idempotencyKey}");
        Assert.Equal("succeeded", await _webhooks.WaitForRunAsync(child.Value, TimeSpan.FromMinutes(1)));
    }

    /// <summary>The validation's summary comment arrives beside these, in either order: look through them all.</summary>
    private void AssertCommented(string repository, int number, string expected)
    {
        var comments = platform.GitHub.Calls.Where(c => c.Method == "POST" && c.Path == $"{repository}/issues/{number}/comments")
            .Select(c => JsonNode.Parse(c.Body)!["body"]!.GetValue<string>()).ToList();
        Assert.True(comments.Any(c => c.Contains(expected, StringComparison.Ordinal)),
            $"No comment on #{number} contains '{expected}'. Comments:\n{string.Join("\n---\n", comments)}");
    }

    private static async Task<JsonNode> PayloadAsync(string eventName, string file) =>
        JsonNode.Parse(await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", eventName, file), Cancellation))!;
}
