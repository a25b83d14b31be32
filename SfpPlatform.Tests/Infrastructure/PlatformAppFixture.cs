using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// The whole platform started through its AppHost in the local-processes runtime, once for every test in the
/// <see cref="PlatformCollection"/>: real Postgres (own data directory), real Verdaccio, Api, Web, Workers, Edge.
/// Every service exports its traces to an in-test OTLP receiver.
/// </summary>
public sealed class PlatformAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private string? _dataDirectory;

    public DistributedApplication App { get; private set; } = null!;

    public OtlpTraceReceiver Traces { get; private set; } = null!;

    public ProviderStandIn Providers { get; private set; } = null!;

    public SaasStandIns Saas { get; private set; } = null!;

    /// <summary>A GitHub (App JWTs, installation tokens, the calls workflows make) the workers reach over loopback.</summary>
    public GitHubStandIn GitHub { get; private set; } = null!;

    public const string GitHubAppClientId = "Iv1.platform-stand-in";

    /// <summary>
    /// What the validate workflow runs in place of <c>sfp</c>: the pinned sfp's own parsing and org lookup, then a
    /// stand-in for the deployment that needs a real org. Build and publish run the real sfp.
    /// </summary>
    public static string SfpOrgStandIn => Path.Combine(RepositoryPaths.Root, "SfpPlatform.Tests", "Workflows", "sfp-org-stand-in.cjs");

    /// <summary>The environment variable naming the file the sfp stand-in appends each call to (one JSON line each).</summary>
    public const string SfpStandInCallsVariable = "SFP_STAND_IN_CALLS";

    /// <summary>Where the sfp stand-in records its calls (a JSON line each: command, org, release, artifacts fetched).</summary>
    public string SfpStandInCalls { get; } = Path.Combine(Path.GetTempPath(), $"sfp-stand-in-calls-{Guid.NewGuid():n}.jsonl");

    /// <summary>The test run's certificate authority and the Salesforce stand-in's HTTPS certificate (trusted by the Workers' Node).</summary>
    public TestCertificates Certificates { get; private set; } = null!;

    /// <summary>Every log line the platform's services wrote during the run.</summary>
    public IReadOnlyCollection<string> Logs => _logs;

    private readonly ConcurrentQueue<string> _logs = new();
    private ParameterResource _jwtSecret = null!;
    private IResourceCollection _builderResources = null!;

    /// <summary>The edge's public address (it binds a fixed port, chosen free for the test run).</summary>
    public Uri EdgeUri { get; private set; } = null!;

    /// <summary>The edge's admin port for Verdaccio (chosen free for the test run).</summary>
    public int VerdaccioAdminPort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Traces = await OtlpTraceReceiver.StartAsync();
        Providers = await ProviderStandIn.StartAsync();
        Certificates = TestCertificates.Create();
        Saas = await SaasStandIns.StartAsync(Certificates);
        GitHub = await GitHubStandIn.StartAsync(GitHubAppClientId, TimeProvider.System);
        _dataDirectory = Directory.CreateTempSubdirectory("sfp-platform-test-").FullName;
        // The unprivileged postgres user must be able to reach its data directory.
        File.SetUnixFileMode(_dataDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
        var edgePort = EdgePair.FreePort();
        EdgeUri = new Uri($"http://127.0.0.1:{edgePort}");

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SfpPlatform_AppHost>(
        [
            "Platform:Runtime=processes",
            $"Platform:DataDirectory={_dataDirectory}",
            $"Platform:EdgePort={edgePort}",
            $"Platform:AdminPorts:verdaccio={VerdaccioAdminPort = EdgePair.FreePort()}",
        ]);
        // The AppHost forwards each resource's output to "SfpPlatform.AppHost.Resources.{name}" loggers: keep all
        // of it for the leak scans, show only warnings.
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new CapturingLoggerProvider(_logs))
            .AddFilter<CapturingLoggerProvider>("SfpPlatform.AppHost.Resources", LogLevel.Trace));

        _jwtSecret = builder.Resources.OfType<ParameterResource>().Single(p => p.Name == "jwt-secret");
        _builderResources = builder.Resources;
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(env =>
            {
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = Traces.Endpoint;
                env["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
                env["OTEL_BSP_SCHEDULE_DELAY"] = "200";
                env["OTEL_TRACES_SAMPLER"] = "always_on";
                // The provider stand-ins are on loopback: allow them the way an operator would.
                env["Integrations__AllowedUrls__GitHubEnterprise__90"] = $"http://127.0.0.1:{Providers.Port}";
                env["Integrations__AllowedUrls__AzureDevOps__90"] = $"http://127.0.0.1:{Providers.Port}/{{name}}";
                env["Integrations__AllowedUrls__Salesforce__90"] = Saas.BaseUrl.AbsoluteUri.TrimEnd('/');
                env["Integrations__AllowedUrls__Salesforce__92"] = Saas.SalesforceHttpsUrl!.AbsoluteUri.TrimEnd('/');
                env["Integrations__AllowedUrls__GitHubEnterprise__91"] = GitHub.BaseUrl.AbsoluteUri.TrimEnd('/');
                env["Integrations__AllowedUrls__AzureDevOps__91"] = Saas.BaseUrl.AbsoluteUri + "{name}";
                // The review-environment tests' pool (the project of that name uses it).
                for (var i = 0; i < ReviewPoolOrgs.Length; i++)
                {
                    env[$"ReviewEnvironments__Pools__{ReviewPoolProject}__Orgs__{i}__Name"] = ReviewPoolOrgs[i];
                    env[$"ReviewEnvironments__Pools__{ReviewPoolProject}__Orgs__{i}__Username"] = $"{ReviewPoolOrgs[i]}@review.example.com";
                }
                // sfp validate needs a real org: its deployment is stood in for (the program is configuration).
                env["Workflows__Validate__Command"] = SfpOrgStandIn;
                // So does sfp release's install; the stand-in records every call it gets (the deployment tests read them).
                env["Workflows__Deploy__Command"] = SfpOrgStandIn;
                env[SfpStandInCallsVariable] = SfpStandInCalls;
                // The scheduler looks for due schedules every second, so a schedule test waits a second, not fifteen.
                env["Schedules__TickInterval"] = "00:00:01";
                // The Salesforce stand-in's HTTPS certificate, for the sfp CLI's Node.
                env["NODE_EXTRA_CA_CERTS"] = Certificates.AuthorityFile;
            }));
        }

        App = await builder.BuildAsync().WaitAsync(StartTimeout);
        using var cts = new CancellationTokenSource(StartTimeout);
        try
        {
            await App.StartAsync(cts.Token);
            foreach (var name in AllResources)
            {
                await App.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
            }
        }
        catch (OperationCanceledException e)
        {
            // Say why: a resource that crashed at start-up leaves its reason only in its own output.
            var failures = _logs.Where(l => l.Contains("crit", StringComparison.Ordinal) || l.Contains("fail", StringComparison.Ordinal)
                || l.Contains("Exception", StringComparison.Ordinal)).TakeLast(40);
            throw new TimeoutException($"The stack did not become healthy within {StartTimeout}. Last failures:\n{string.Join('\n', failures)}", e);
        }
    }

    /// <summary>The project whose review-environment pool the stack is configured with, and its orgs.</summary>
    public const string ReviewPoolProject = "reviews";

    public static readonly string[] ReviewPoolOrgs = ["review-1", "review-2"];

    /// <summary>Verdaccio's URL and the generated accounts' passwords (publisher, reader), as the AppHost made them.</summary>
    public async Task<(Uri Url, string PublisherPassword, string ReaderPassword)> RegistryAsync()
    {
        var endpoint = App.GetEndpoint(ServiceNames.Verdaccio, "http");
        var parameters = _builderResources.OfType<ParameterResource>().ToDictionary(p => p.Name);
        return (endpoint,
            (await parameters["verdaccio-publisher-password"].GetValueAsync(default))!,
            (await parameters["verdaccio-reader-password"].GetValueAsync(default))!);
    }

    /// <summary>The registry as the workers use it, with the generated accounts (or none: an anonymous client).</summary>
    public async Task<Core.Packages.PackageRegistry> PackageRegistryAsync(bool withAccounts = true)
    {
        var (url, publisher, reader) = await RegistryAsync();
        var options = new Core.Packages.PackageRegistryOptions { Url = url };
        if (withAccounts)
        {
            options.Publisher = new Core.Packages.RegistryAccount { Username = "sfp-publisher", Password = publisher };
            options.Reader = new Core.Packages.RegistryAccount { Username = "sfp-reader", Password = reader };
        }

        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        return new Core.Packages.PackageRegistry(services.GetRequiredService<IHttpClientFactory>(),
            Microsoft.Extensions.Options.Options.Create(options), new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
    }

    /// <summary>Every resource the local-processes runtime starts and probes.</summary>
    public static readonly string[] AllResources =
    [
        ServiceNames.Postgres, ServiceNames.Verdaccio, ServiceNames.Api, ServiceNames.Workers, ServiceNames.Web,
        ServiceNames.Edge,
    ];

    /// <summary>The HS256 secret the Api checks tokens with (GoTrue's JWT secret).</summary>
    public async Task<string> JwtSecretAsync() => (await _jwtSecret.GetValueAsync(default))!;

    public HttpClient CreateEdgeClient() => new() { BaseAddress = EdgeUri, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// An edge client signed in as <paramref name="caller"/> with a token shaped as GoTrue issues it (none for
    /// anonymous; expired, wrong-audience and wrong-signature tokens for the refusals): the one way tests sign in.
    /// </summary>
    public async Task<HttpClient> ClientAsync(Caller caller)
    {
        var secret = await JwtSecretAsync();
        var token = caller switch
        {
            Caller.Anonymous => null,
            Caller.Member => PlatformTokens.Create(secret, "member"),
            Caller.Application => PlatformTokens.Create(secret, "application"),
            Caller.Owner => PlatformTokens.Create(secret, "owner"),
            Caller.NoRole => PlatformTokens.Create(secret, null),
            Caller.Expired => PlatformTokens.Create(secret, "owner", lifetime: TimeSpan.FromMinutes(5), issuedAt: DateTimeOffset.UtcNow.AddHours(-2)),
            Caller.WrongAudience => PlatformTokens.Create(secret, "owner", audience: "anon"),
            Caller.WrongSignature => PlatformTokens.Create(new string('x', 48), "owner"),
            _ => throw new ArgumentOutOfRangeException(nameof(caller)),
        };
        return SignedIn(token);
    }

    /// <summary>An edge client signed in as the user <paramref name="subject"/> (the token's <c>sub</c>) with <paramref name="role"/>.</summary>
    public async Task<HttpClient> UserAsync(string subject, string role) =>
        SignedIn(PlatformTokens.Create(await JwtSecretAsync(), role, subject: subject));

    private HttpClient SignedIn(string? token)
    {
        var client = CreateEdgeClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>pg_dump of the platform database, data and schema, as text.</summary>
    public async Task<string> DatabaseDumpAsync()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(await App.GetConnectionStringAsync(ServiceNames.Postgres));
        var pgDump = new[] { "/usr/lib/postgresql" }.Where(Directory.Exists)
            .SelectMany(d => Directory.GetDirectories(d)).Select(d => Path.Combine(d, "bin", "pg_dump")).FirstOrDefault(File.Exists)
            ?? "pg_dump";
        var (exitCode, dump, error) = await TestProcess.RunAsync(
            pgDump, ["-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!],
            new Dictionary<string, string?> { ["PGPASSWORD"] = builder.Password }, CancellationToken.None);
        return exitCode == 0 && dump.Contains("COPY public.integrations", StringComparison.Ordinal)
            ? dump
            : throw new InvalidOperationException($"pg_dump failed ({exitCode}): {error}");
    }

    /// <summary>
    /// After every test of the stack: no secret value any test used appears in a dump of the database, the captured
    /// output of every process, the recorded spans or the responses the tests read. Recorded for the report.
    /// </summary>
    private async Task ScanForSecretsAsync()
    {
        var dump = await DatabaseDumpAsync();
        var logs = string.Join('\n', _logs);
        var spans = string.Join('\n', Traces.Spans.SelectMany(s => s.Attributes.Values.Append(s.Name)));
        var found = TestSecrets.FoundIn(dump).Concat(TestSecrets.FoundIn(logs)).Concat(TestSecrets.FoundIn(spans))
            .Concat(TestSecrets.FoundIn(RecordedResponses.All)).Distinct().ToList();
        if (found.Count > 0)
        {
            throw new InvalidOperationException($"{found.Count} secret value(s) the tests used leaked into the dump, logs, spans or responses.");
        }

        ReliabilityReport.Record(ReliabilityReport.Secrets, "Database dump, captured logs, traces and recorded responses",
            ("secret values searched", TestSecrets.All.Count), ("dump bytes", dump.Length), ("log lines", _logs.Count),
            ("spans", Traces.Spans.Count), ("responses", RecordedResponses.Count), ("hits", 0));
    }

    public async ValueTask DisposeAsync()
    {
        Exception? leak = null;
        if (App is not null)
        {
            try
            {
                await ScanForSecretsAsync();
            }
            catch (Exception e)
            {
                leak = e;
            }

            ReliabilityReport.WriteIfRequested();
        }

        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        await Traces.DisposeAsync();
        await Providers.DisposeAsync();
        await Saas.DisposeAsync();
        Certificates.Dispose();
        await GitHub.DisposeAsync();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A server still flushing on exit; the temp folder is left for the OS to clean.
            }
        }

        if (leak is not null)
        {
            throw leak;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformAppFixture>
{
    public const string Name = "Platform";
}
