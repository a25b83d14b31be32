using System.Net.Http.Json;
using Microsoft.Playwright;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Releases;
using SfpPlatform.Tests.Webhooks;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Web;

/// <summary>
/// The web app in a real browser (Debian's Chromium through Playwright) against the whole stack through the edge:
/// sign in, add a GitHub PAT and see the Api's validation message for a bad value, send a signed webhook and see
/// the delivery appear, replay it, open the run and watch its log lines arrive; the project settings; schedules; a narrow
/// screen. Each page's screenshot is saved under <c>artifacts/screenshots</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WebAppBrowserTests(PlatformAppFixture platform) : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    private readonly WebhookTestClient _webhooks = new(platform);
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Screenshots);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> SignedInPageAsync(string role = "owner", ViewportSize? viewport = null)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = platform.EdgeUri.AbsoluteUri, ViewportSize = viewport });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/integrations");
        Assert.Contains("/signin", page.Url, StringComparison.Ordinal);   // not signed in: sent to sign in, and back afterwards
        await page.GetByLabel("Role").SelectOptionAsync(role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.WaitForURLAsync("**/integrations");
        }
        catch (TimeoutException e)
        {
            // Say where the sign-in ended instead (its error page says why).
            throw new TimeoutException($"Signing in as {role} did not reach /integrations; the browser is at {page.Url}", e);
        }

        return page;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task NewUser_AddsAnIntegration_AndFollowsADeliveryToItsRunAndLiveLog()
    {
        var page = await SignedInPageAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations" })).ToBeVisibleAsync();
        await Expect(page.GetByText("(owner)")).ToBeVisibleAsync();

        // A GitHub PAT with a bad Enterprise URL: the Api's field message appears under the field, nothing is added.
        var name = "ci token " + Guid.NewGuid().ToString("n")[..6];
        await page.GetByLabel("Kind").SelectOptionAsync("github-pat");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("GitHub Enterprise URL").FillAsync("ftp://github.example.com");
        await page.GetByLabel("Token").FillAsync(TestSecrets.Token("ghp_"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add integration" }).ClickAsync();
        var baseUrlError = page.Locator("#setting-baseUrl-error");
        await Expect(baseUrlError).ToContainTextAsync("https");
        await ShotAsync(page, "integrations-validation-error");
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = name })).ToHaveCountAsync(0);

        // Corrected (github.com): added and listed with a fingerprint, never the token.
        await page.GetByLabel("GitHub Enterprise URL").FillAsync("");
        await page.GetByLabel("Token").FillAsync(TestSecrets.Token("ghp_"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add integration" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = name })).ToBeVisibleAsync();
        Assert.DoesNotContain("ghp_", await page.ContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "integrations");

        // Delete asks first.
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = name }) });
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alertdialog)).ToContainTextAsync($"Delete {name}?");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Yes, delete {name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = name })).ToHaveCountAsync(0);

        // A signed pull_request delivery for a project whose validation takes a few seconds.
        var project = "web-" + Guid.NewGuid().ToString("n")[..8];
        var repository = $"acme-{Guid.NewGuid().ToString("n")[..6]}/web-app";
        var hook = await _webhooks.RegisterSlowValidationAsync(project, repository, seconds: 4);
        var (delivered, _) = await _webhooks.OpenPullRequestAsync(hook, repository);
        Assert.Equal("validate", delivered.Text("workflow"));

        // The delivery is listed; its page shows the payload; replaying it starts a second run.
        await page.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();
        await page.GetByLabel("Repository").FillAsync(repository);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = repository })).ToBeVisibleAsync();
        await ShotAsync(page, "deliveries");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = repository }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delivery" })).ToBeVisibleAsync();
        await Expect(page.Locator("pre.payload")).ToContainTextAsync(repository);
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "x-github-event" })).ToBeVisibleAsync();
        await _webhooks.WaitForRunAsync(Guid.Parse(delivered.Text("runId")!), TimeSpan.FromMinutes(1));
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay this delivery" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync("Replayed: validate run");
        await Expect(page.GetByText("(replay)")).ToBeVisibleAsync();
        await ShotAsync(page, "delivery-replayed");

        // The replay's run: its log grows while the page is open, without reloading.
        await page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "(replay)" }).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run validate" })).ToBeVisibleAsync();
        var log = page.Locator("#run-log");
        await Expect(log).ToContainTextAsync("deploying to the validation org", new() { Timeout = 60_000 });
        Assert.DoesNotContain("validated 1 package(s)", await log.InnerTextAsync(), StringComparison.Ordinal);
        // The exact command line the step ran is a line of the log, on its own.
        var commandLine = log.Locator(".log-line").Filter(new() { HasText = "$ sfp validate pool " });
        await Expect(commandLine).ToHaveCountAsync(1);
        Assert.Matches("^validate │ \\$ sfp validate pool -p ci -v devhub --mode thorough --ref [0-9a-f]{40} --baseRef [0-9a-f]{40}$", (await commandLine.InnerTextAsync()).Trim());
        await Expect(log).ToContainTextAsync("validated 1 package(s)", new() { Timeout = 30_000 });
        await Expect(page.Locator(".facts .badge").First).ToHaveTextAsync("succeeded", new() { Timeout = 10_000 });
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "validate", Exact = true })).ToBeVisibleAsync();
        Assert.DoesNotContain("00Dstandin", await page.ContentAsync(), StringComparison.Ordinal);   // the org session stays masked
        await ShotAsync(page, "run-log");

        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Workflow runs" })).ToBeVisibleAsync();
        await ShotAsync(page, "runs");
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recent runs" })).ToBeVisibleAsync();
        await ShotAsync(page, "overview");
    }

    [Fact]
    public async Task ProjectSettings_ShowTheApisRuleErrors_AndSaveValidRules()
    {
        var page = await SignedInPageAsync();
        var project = "rules-" + Guid.NewGuid().ToString("n")[..8];
        await page.GetByRole(AriaRole.Link, new() { Name = "Project settings" }).ClickAsync();
        // The integrations page has a "Project key" field too: type only once the settings page has replaced it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Project settings" })).ToBeVisibleAsync();
        await page.GetByLabel("Project key").FillAsync(project);
        await page.GetByRole(AriaRole.Button, new() { Name = "Load rules" }).ClickAsync();
        var rules = page.GetByLabel($"Rules for {project} (default)");
        await Expect(rules).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"workflow\": \"validate\""));

        await rules.FillAsync("""[{"event":"push","workflow":"deploy-everything"}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rules" }).ClickAsync();
        await Expect(page.Locator("#rules-errors")).ToContainTextAsync("'deploy-everything' is not a workflow");
        await ShotAsync(page, "settings-rules-error");

        await rules.FillAsync("""[{"event":"push","branches":["main"],"workflow":"build"}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save rules" }).ClickAsync();
        await Expect(page.Locator(".notice")).ToContainTextAsync($"Saved the rules of {project}");
        await Expect(page.GetByLabel($"Rules for {project} (project)")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task EnvironmentsPage_ShowsWhatIsWhere_AndTheLockQueue_AndApprovesWithItsButton()
    {
        var scenario = new EnvironmentScenario(platform);
        var setup = await scenario.SetUpAsync(prodApprovers: []);
        await scenario.WaitForDeploymentAsync(setup.Project, "uat", "succeeded", EnvironmentScenario.Slow);
        using var dave = await _webhooks.UserAsync("dave", "owner");
        using var requested = await dave.PostAsJsonAsync($"/sfp/api/projects/{setup.Project}/environments/prod/deployments", new { }, Cancellation);
        var deployment = (await requested.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Cancellation))!;
        await scenario.WaitForDeploymentAsync(deployment, "awaiting-approval", TimeSpan.FromMinutes(2));

        var page = await SignedInPageAsync("owner");
        await page.GetByRole(AriaRole.Link, new() { Name = "Environments" }).ClickAsync();
        await page.GetByLabel("Project").FillAsync(setup.Project);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var uat = page.Locator("section.environment").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "uat", Exact = true }) });
        var prod = page.Locator("section.environment").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "prod", Exact = true }) });
        await Expect(uat.Locator(".current-release")).ToHaveTextAsync("main-1");
        await Expect(uat.GetByRole(AriaRole.Cell, new() { Name = "1.2.0-1" })).ToBeVisibleAsync();
        await Expect(prod.Locator(".current-release")).ToHaveTextAsync("nothing deployed yet");
        await Expect(prod.Locator(".lock-queue li")).ToHaveTextAsync("#1 main-1 by dave — awaiting-approval");
        await Expect(page.Locator("#pending").GetByRole(AriaRole.Cell, new() { Name = "dave" })).ToBeVisibleAsync();
        await ShotAsync(page, "environments");

        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Expect(page.Locator("#environments-notice")).ToContainTextAsync("Approved the deployment of main-1 to prod");
        await scenario.WaitForDeploymentAsync(deployment, "succeeded", EnvironmentScenario.Slow);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(prod.Locator(".current-release")).ToHaveTextAsync("main-1");
        await Expect(prod.Locator(".history").GetByRole(AriaRole.Cell, new() { Name = "web-owner" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(page.Locator("#diff-table tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#diff-table tr.differs")).ToHaveCountAsync(0);
        await ShotAsync(page, "environments-approved");
    }

    [Fact]
    public async Task SchedulesPage_CreatesPausesAndDeletesASchedule_WithTheApisFieldErrors_AndShowsNoControlsToMembers()
    {
        var page = await SignedInPageAsync();
        var name = "nightly-" + Guid.NewGuid().ToString("n")[..8];
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedules" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a schedule" })).ToBeVisibleAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Nightly Build");
        await page.GetByLabel("Workflow").SelectOptionAsync("build");
        await page.GetByLabel("Project key").FillAsync("sched-" + name);
        await page.GetByLabel("Cron (UTC)").FillAsync("0 3 * * *");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add schedule" }).ClickAsync();
        // The Api's field error, next to the field.
        await Expect(page.Locator("#schedule-name-error")).ToContainTextAsync("lower-case");
        await Expect(page.Locator("#schedule-cron-error")).ToBeEmptyAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add schedule" }).ClickAsync();
        await Expect(page.Locator("#schedules-notice")).ToContainTextAsync($"Added the schedule {name}");
        var row = page.Locator($"tr[data-schedule='{name}']");
        await Expect(row.Locator("td.state")).ToHaveTextAsync("active");
        await Expect(row.GetByRole(AriaRole.Cell, new() { Name = "0 3 * * *" })).ToBeVisibleAsync();

        await row.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(row.Locator("td.state")).ToHaveTextAsync("paused");
        await ShotAsync(page, "schedules");

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = $"Yes, delete {name}" }).ClickAsync();
        await Expect(page.Locator("#schedules-notice")).ToContainTextAsync($"Deleted the schedule {name}");
        await Expect(row).ToHaveCountAsync(0);
        using var owner = await platform.ClientAsync(Caller.Owner);
        Assert.DoesNotContain((await owner.GetFromJsonAsync<List<SfpPlatform.Contracts.Schedules.ScheduleSummary>>("/sfp/api/schedules", Cancellation))!, s => s.Name == name);

        // A member reads the schedules (the platform's sweeps at least) and gets no control.
        var member = await SignedInPageAsync("member");
        await member.GotoAsync("/schedules");
        await Expect(member.Locator("tr[data-schedule]").First).ToBeVisibleAsync();
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Add schedule" })).ToHaveCountAsync(0);
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);
        await Expect(member.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task NarrowScreen_NeedsNoSidewaysScrolling_AndEveryFieldHasALabel()
    {
        var page = await SignedInPageAsync(viewport: new ViewportSize { Width = 360, Height = 740 });
        foreach (var path in new[] { "/", "/integrations", "/deliveries", "/runs", "/environments", "/settings/rules" })
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a 360px screen");
            var unlabelled = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                    .filter(e => !(e.id && document.querySelector(`label[for="${e.id}"]`)) && !e.getAttribute('aria-label'))
                    .map(e => e.outerHTML)
                """);
            Assert.True(unlabelled.Length == 0, $"{path} has fields without a label: {string.Join(", ", unlabelled)}");
            await ShotAsync(page, "narrow" + path.Replace('/', '-').TrimEnd('-'));
        }
    }

    [Fact]
    public async Task Overview_ChartsTheLastDay_AtDesktopWidth_AndOnANarrowScreen()
    {
        // Something to chart: a routed delivery (and its run).
        var hook = await _webhooks.RegisterGitHubAsync();
        await _webhooks.OpenPullRequestAsync(hook, $"charts-{Guid.NewGuid().ToString("n")[..6]}/app");

        foreach (var (width, height, name) in new[] { (1280, 900, "overview-charts"), (360, 740, "narrow-overview-charts") })
        {
            var page = await SignedInPageAsync(viewport: new ViewportSize { Width = width, Height = height });
            await page.GotoAsync("/");
            foreach (var title in new[] { "Deliveries per minute by outcome", "Runs by outcome per workflow", "Run duration percentiles per workflow" })
            {
                await Expect(page.Locator("figure.chart figcaption", new() { HasTextString = title })).ToBeVisibleAsync();
            }

            // Each chart is an image with a title and a description, and its numbers as a table.
            var svg = page.Locator("#deliveries-chart-title");
            Assert.Equal("Deliveries per minute by outcome", await svg.TextContentAsync());
            Assert.Matches("[1-9][0-9]* routed", await page.Locator("#deliveries-chart-desc").TextContentAsync() ?? "");
            await Expect(page.Locator("svg[role=img][aria-labelledby='runs-chart-title runs-chart-desc']")).ToHaveCountAsync(1);
            await Expect(page.GetByText("Deliveries per minute by outcome as a table")).ToBeVisibleAsync();
            await Expect(page.Locator("dd[data-stat=queued]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
            // The Workers' line comes from their heartbeats: the stack's worker is listed alive, with its last heartbeat.
            await Expect(page.Locator("[data-health=workers]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("workers? alive|Queue: "));
            await Expect(page.Locator("tr[data-worker]").First).ToContainTextAsync("alive");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"the overview is {overflow}px wider than {width}px");
            Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('script[src^=http], link[href^=http]')].length"));
            await ShotAsync(page, name);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task AuditPage_ShowsWhoRotatedAnIntegration_AndOffersTheExports()
    {
        using var owner = await _webhooks.OwnerAsync();
        var name = "audited-" + Guid.NewGuid().ToString("n")[..6];
        using var created = await owner.PostAsJsonAsync("/sfp/api/integrations",
            new { kind = "github-pat", name, settings = new { }, secret = TestSecrets.Token("ghp_") }, Cancellation);
        var id = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync(Cancellation))!["id"]!.GetValue<string>();
        using var rotated = await owner.PostAsJsonAsync($"/sfp/api/integrations/{id}/rotate", new { secret = TestSecrets.Token("ghp_") }, Cancellation);
        rotated.EnsureSuccessStatusCode();

        var page = await SignedInPageAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail" })).ToBeVisibleAsync();
        await page.GetByLabel("Target").FillAsync($"integration:{id}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "integration.rotated" });
        await Expect(row).ToContainTextAsync("owner@example.com");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "integration.created" })).ToHaveCountAsync(1);
        // The web app's own sign-in was recorded for its user.
        await page.GotoAsync("/audit?action=session.signed-in&actor=web-owner");
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "web-owner", Exact = true }).First).ToBeVisibleAsync();
        await ShotAsync(page, "audit");

        var download = await page.RunAndWaitForDownloadAsync(async () =>
        {
            await page.GotoAsync($"/audit?target=integration:{id}");
            await page.GetByRole(AriaRole.Link, new() { Name = "CSV" }).ClickAsync();
        });
        var csv = await File.ReadAllTextAsync(await download.PathAsync(), Cancellation);
        Assert.Contains("\"integration.rotated\"", csv, StringComparison.Ordinal);
        Assert.Empty(TestSecrets.FoundIn(csv));
    }

    [Fact]
    public async Task SignedInUser_StaysSignedIn_InAnotherWebProcess()
    {
        var page = await SignedInPageAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations" })).ToBeVisibleAsync();
        Assert.True(await _webhooks.ScalarAsync<long>("SELECT count(*) FROM data_protection_keys") > 0, "the web app's key ring is not in the database");

        // A second web process with the stack's own configuration stands for the restarted (or scaled-out) web app; the
        // shared stack's web keeps serving the other tests. A browser sends a host's cookies to any of its ports, so the
        // same cookie reaches the new process, which can read it only with the key ring the first one stored in Postgres.
        Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(ServiceNames.Web, out var web), "the web resource has no state");
        var environment = web.Snapshot.EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        var port = EdgePair.FreePort();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        environment["HTTP_PORTS"] = null;
        environment["HTTPS_PORTS"] = null;
        // A home of its own: a key ring kept under the user's home (ASP.NET Core's default) cannot carry the cookie over.
        using var home = new TestFolder();
        environment["HOME"] = home.Path;
        using var second = TestProcess.Start("dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Web")], environment);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            var started = DateTime.UtcNow;
            while (!await AnswersAsync(http))
            {
                Assert.False(second.HasExited, $"the second web process exited with {(second.HasExited ? second.ExitCode : 0)}");
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(2), "the second web process did not answer within 2 minutes");
                await Task.Delay(500, Cancellation);
            }

            // The same browser, the same cookie: the other process reads it and shows the owner's page.
            await page.GotoAsync($"http://127.0.0.1:{port}/integrations");
            Assert.DoesNotContain("/signin", page.Url, StringComparison.Ordinal);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations" })).ToBeVisibleAsync();
            await Expect(page.GetByText("(owner)")).ToBeVisibleAsync();
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync(Cancellation);
        }

        static async Task<bool> AnswersAsync(HttpClient http)
        {
            try
            {
                using var response = await http.GetAsync("/alive", Cancellation);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!Cancellation.IsCancellationRequested)
            {
                return false;
            }
        }
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
