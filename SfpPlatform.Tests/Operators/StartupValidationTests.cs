using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Retention;
using SfpPlatform.Edge.Extensions;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Topology;
using SfpPlatform.Workers.Engine.Embedded;

namespace SfpPlatform.Tests.Operators;

/// <summary>
/// Checked configuration: each validator names the key and what is wrong, all failures at once; a service with a bad
/// setting stops at start with that message, and the Api stops before it touches the database.
/// </summary>
public sealed class StartupValidationTests
{
    [Fact]
    public void Edge_NamesEveryBadCidr_AndPort()
    {
        var result = new EdgeOptionsValidator(PlatformTopology.Default).Validate(null, new EdgeOptions
        {
            AdminAllowlist = ["127.0.0.1/32", "10.0.0.0/33"],
            TrustedProxies = ["proxy.example.com"],
            ManagementPort = 70000,
            AdminPorts = { ["grafana"] = 9000 },
        });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Edge:AdminAllowlist:1 is '10.0.0.0/33': not a CIDR", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Edge:TrustedProxies:0 is 'proxy.example.com'", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Edge:ManagementPort is 70000", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Edge:AdminPorts:grafana names no admin service", StringComparison.Ordinal));
        Assert.True(new EdgeOptionsValidator(PlatformTopology.Default).Validate(null, new EdgeOptions { AdminAllowlist = ["203.0.113.0/24", "::1/128"] }).Succeeded);
    }

    [Fact]
    public void OtherOptions_NameTheirKeys()
    {
        var integrations = new IntegrationOptions();
        integrations.AllowedUrls["Jira"] = ["https://{name}.atlassian.net"];
        integrations.AllowedUrls[IntegrationOptions.Salesforce] = ["login.salesforce.com"];
        var failures = new IntegrationOptionsValidator().Validate(null, integrations).Failures!;
        Assert.Contains(failures, f => f.StartsWith("Integrations:AllowedUrls:Jira: no such provider", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Integrations:AllowedUrls:Salesforce has 'login.salesforce.com'", StringComparison.Ordinal));

        var retention = new RetentionOptionsValidator().Validate(null, new RetentionOptions { Runs = TimeSpan.FromSeconds(10) });
        Assert.Equal("Retention:Runs is 00:00:10: keep at least one day (e.g. 90.00:00:00 for 90 days).", Assert.Single(retention.Failures!));

        var engine = new WorkflowEngineOptionsValidator().Validate(null, new WorkflowEngineOptions { Loops = 0, PollInterval = TimeSpan.Zero });
        Assert.Equal(2, engine.Failures!.Count());
        Assert.True(new IntegrationOptionsValidator().Validate(null, new IntegrationOptions()).Succeeded);
    }

    [Fact]
    public async Task Edge_WithABadAllowlistEntry_DoesNotStart_AndSaysWhichEntry()
    {
        var result = await TestProcess.RunAsync("dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Edge")],
            new Dictionary<string, string?>
            {
                ["Edge__AdminAllowlist__0"] = "not-a-network",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
            TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Edge:AdminAllowlist:0 is 'not-a-network': not a CIDR", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithABadSetting_StopsBeforeTouchingTheDatabase()
    {
        // The database does not exist: had the Api migrated first, it would fail on the connection, not on the setting.
        var result = await TestProcess.RunAsync("dotnet", [RepositoryPaths.ProjectAssembly("SfpPlatform.Api")],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__sfp"] = "Host=127.0.0.1;Port=9;Database=sfp;Username=sfp;Password=x;Timeout=3",
                ["Auth__JwtSecret"] = new string('j', 40),
                ["Credentials__ActiveKeyId"] = "k1",
                ["Credentials__Keys__k1"] = "0123456789abcdef0123456789abcdef",
                ["Integrations__AllowedUrls__Salesforce__0"] = "login.salesforce.com",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
            TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        var text = result.Error + result.Output;
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Integrations:AllowedUrls:Salesforce has 'login.salesforce.com'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed to connect", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Migrat", text, StringComparison.Ordinal);
    }
}
