using System.Net;
using System.Text;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Reliability;

/// <summary>
/// The role matrix of the Api's endpoints beyond integrations (those are in IntegrationsApiTests): the integration
/// kinds, deliveries, routing rules, runs, schedules, the audit trail and health, for anonymous callers, each role, an application token, and expired,
/// wrong-audience and wrongly signed tokens.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccessMatrixTests(PlatformAppFixture platform)
{
    private static readonly (string Method, string Path, bool Manage, bool Anonymous)[] Endpoints =
    [
        ("GET", "/sfp/api/health", false, true),
        ("GET", "/sfp/api/health/workers", false, false),
        ("GET", "/sfp/api/integrations/kinds", false, false),
        ("GET", "/sfp/api/webhooks/deliveries", true, false),
        ("GET", "/sfp/api/webhooks/deliveries/{delivery}", true, false),
        ("POST", "/sfp/api/webhooks/deliveries/{delivery}/replay", true, false),
        ("POST", "/sfp/api/webhooks/deliveries/recover", true, false),
        ("GET", "/sfp/api/webhooks/routing-rules", false, false),
        ("GET", "/sfp/api/webhooks/routing-rules/{project}", false, false),
        ("PUT", "/sfp/api/webhooks/routing-rules/{project}", true, false),
        ("DELETE", "/sfp/api/webhooks/routing-rules/{project}", true, false),
        ("GET", "/sfp/api/runs", false, false),
        ("GET", "/sfp/api/runs/{run}", false, false),
        ("GET", "/sfp/api/runs/{run}/logs", false, false),
        ("POST", "/sfp/api/runs/{run}/cancel", true, false),
        ("GET", "/sfp/api/audit", true, false),
        ("GET", "/sfp/api/audit/export?format=csv", true, false),
        ("GET", "/sfp/api/audit/export?format=json", true, false),
        ("POST", "/sfp/api/audit/sign-ins", false, false),
        ("GET", "/sfp/api/stats", false, false),
        ("GET", "/sfp/api/schedules", false, false),
        ("POST", "/sfp/api/schedules", true, false),
        ("DELETE", "/sfp/api/schedules/{project}", true, false),
        ("POST", "/sfp/api/schedules/{project}/pause", true, false),
        ("POST", "/sfp/api/schedules/{project}/resume", true, false),
    ];

    public static TheoryData<string, string, Caller, int> Matrix()
    {
        var data = new TheoryData<string, string, Caller, int>();
        foreach (var (method, path, manage, anonymous) in Endpoints)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(method, path, caller, PlatformCallers.Expected(caller, manage, anonymous));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Endpoint_AnswersEachCallerAsDocumented(string method, string path, Caller caller, int expected)
    {
        // Real targets: a stored delivery (with its run) and a project.
        var webhooks = new WebhookTestClient(platform);
        var hook = await webhooks.RegisterGitHubAsync();
        var body = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"), Cancellation);
        var delivered = await webhooks.SendGitHubAsync(hook, "pull_request", body);
        var target = path.Replace("{delivery}", delivered.Text("id"), StringComparison.Ordinal)
            .Replace("{run}", delivered.Text("runId"), StringComparison.Ordinal)
            .Replace("{project}", "matrix-" + Guid.NewGuid().ToString("n")[..8], StringComparison.Ordinal);

        using var client = await platform.ClientAsync(caller);
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (method == "PUT")
        {
            request.Content = new StringContent("""{"rules":[{"event":"push","workflow":"build"}]}""", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Cancellation);
        var text = await response.Content.ReadAsStringAsync(Cancellation);
        RecordedResponses.Add(text);

        if (expected == 0)
        {
            // Admitted: whatever the endpoint then answers about the target, it is not an authentication or role refusal.
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{caller} {method} {path}: {(int)response.StatusCode} {text}");
        }
        else
        {
            Assert.Equal(expected, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        ReliabilityReport.Record(ReliabilityReport.Access, "Role matrix of every Api endpoint",
            ("checks", 1), (expected == 0 ? "admitted" : $"refused {expected}", 1));
    }
}
