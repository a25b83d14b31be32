using SfpPlatform.Contracts.Telemetry;
using SfpPlatform.Core.Auth;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Topology.Services;
using static SfpPlatform.Topology.Services.InfrastructureServices;
using static SfpPlatform.Topology.Services.OperatorVariables;

namespace SfpPlatform.Core.Deployment;

/// <summary>
/// The platform's own services (Api, Workers, Web) and their runtime contracts. They live here, beside the options
/// classes, so every configuration key is built from a section constant and <c>nameof</c> of a property: a renamed
/// option no longer compiles instead of silently drifting. <see cref="Deployment"/> is the whole description both the
/// AppHost and <c>deploy/</c> are rendered from.
/// </summary>
public static class PlatformServices
{
    /// <summary>The id of the credential key every runtime starts with (rotation adds <c>Credentials__Keys__{new id}</c>).</summary>
    public const string CredentialKeyId = "k1";

    /// <summary>The port the platform's images listen on (ASP.NET Core's container default).</summary>
    public const int HttpPort = 8080;

    private const string HttpEndpoint = "http";

    private static readonly EnvironmentSetting[] Database =
    [
        new(SettingKey.Of("ConnectionStrings", ServiceNames.Database), new SettingValue.ConnectionString(ServiceNames.Database)),
    ];

    private static readonly EnvironmentSetting[] Credentials =
    [
        new(SettingKey.Of(CredentialOptions.SectionName, nameof(CredentialOptions.ActiveKeyId)), CredentialKeyId),
        new(SettingKey.Of(CredentialOptions.SectionName, nameof(CredentialOptions.Keys), CredentialKeyId), CredentialsKey),
        // The AppHost named the same generated key 'local' until the runtimes shared one description: secrets a developer
        // stored then carry that id, so the AppHost keeps it readable under both names (new secrets use k1).
        new(SettingKey.Of(CredentialOptions.SectionName, nameof(CredentialOptions.Keys), LegacyLocalCredentialKeyId), CredentialsKey, Runtimes.Containers | Runtimes.Processes),
    ];

    /// <summary>The id the AppHost gave its generated credential key before <see cref="CredentialKeyId"/>.</summary>
    public const string LegacyLocalCredentialKeyId = "local";

    /// <summary>Where Hatchet runs, both its clients speak to it the same way: plain-text gRPC on its gRPC port.</summary>
    private static readonly EnvironmentSetting[] WorkflowEngine =
    [
        new(SettingKey.Of(WorkflowEngines.SettingKey), WorkflowEngines.Hatchet, Runtimes.WithContainers),
        new(SettingKey.Of(HatchetOptions.SectionName, nameof(HatchetOptions.Token)), HatchetToken, Runtimes.WithContainers),
        new(SettingKey.Of(HatchetOptions.SectionName, nameof(HatchetOptions.TlsStrategy)), "none", Runtimes.WithContainers),
        new(SettingKey.Of(HatchetOptions.SectionName, nameof(HatchetOptions.GrpcAddress)), Address(ServiceNames.Hatchet, "grpc"), Runtimes.WithContainers),
    ];

    /// <summary>
    /// Telemetry in production: each service exports over OTLP to the operator's collector (blank: none), under its own
    /// service name. Under the AppHost, Aspire gives its dashboard's endpoint instead.
    /// </summary>
    private static EnvironmentSetting[] Telemetry(string service) =>
    [
        new("OTEL_EXPORTER_OTLP_ENDPOINT", OtlpEndpoint, Runtimes.Compose),
        new("OTEL_SERVICE_NAME", service, Runtimes.Compose),
        new(SettingKey.Of(TelemetryOptions.SectionName, nameof(TelemetryOptions.TraceSampleRatio)), TraceSampleRatio),
    ];

    /// <summary>
    /// The share of ordinary traces exported, in every runtime (failed traces are always exported whole): <c>.env</c> in
    /// production, the AppHost parameter <c>trace-sample-ratio</c> under F5 (e.g. <c>Parameters:trace-sample-ratio=1</c>
    /// on its command line to see every trace), both defaulting to <see cref="TelemetryOptions.DefaultTraceSampleRatio"/>.
    /// </summary>
    public static readonly OperatorVariable TraceSampleRatio = new()
    {
        Name = "TRACE_SAMPLE_RATIO",
        Default = TelemetryOptions.DefaultTraceSampleRatio.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Parameter = "trace-sample-ratio",
        Purpose = "share (0-1) of ordinary traces the Api, Workers and Web export; a trace with a failure is exported whole whatever it says",
    };

    /// <summary>The images listen on their http port; under the AppHost the launch profile's port is replaced by a free one.</summary>
    private static EnvironmentSetting HttpListener(string service) => new("ASPNETCORE_HTTP_PORTS", TargetPort(service), Runtimes.Compose);

    public static readonly ServiceContract Api = new()
    {
        Name = ServiceNames.Api,
        Title = "SfpPlatform.Api: /sfp/api, webhooks, the schema's owner (migrates before serving)",
        Kind = ServiceKind.Project,
        In = Runtimes.All,
        Image = ContainerImage.Platform("sfp-api"),
        Ports = [new(HttpEndpoint, HttpPort)],
        Environment =
        [
            HttpListener(ServiceNames.Api),
            .. Telemetry(ServiceNames.Api),
            .. Database,
            new(SettingKey.Of(AuthOptions.SectionName, nameof(AuthOptions.JwtSecret)), JwtSecret),
            new(SettingKey.Of(AuthOptions.SectionName, nameof(AuthOptions.Audience)), TokenAudience),
            // GoTrue signs its public URL as iss; the development issuer (processes) signs its own.
            new(SettingKey.Of(AuthOptions.SectionName, nameof(AuthOptions.Issuer)), TokenIssuer, Runtimes.WithContainers),
            .. Credentials,
            .. WorkflowEngine,
            // Releases chosen by hand are checked against the registry, read with the reader account.
            new(ServiceDiscoveryKey(ServiceNames.Verdaccio), Url(ServiceNames.Verdaccio)),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Reader), nameof(RegistryAccount.Username)), VerdaccioConfigRenderer.Reader),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Reader), nameof(RegistryAccount.Password)), VerdaccioReaderPassword),
        ],
        Health = HealthCheck.Http(HttpEndpoint, "/health", HttpProbe.Bash),
        DependsOn = [new(ServiceNames.Postgres), new(ServiceNames.PostgresInit, DependencyCondition.Completed)],
    };

    public static readonly ServiceContract Workers = new()
    {
        Name = ServiceNames.Workers,
        Title = "SfpPlatform.Workers: the workflows, with Node, npm and the sfp CLI",
        Kind = ServiceKind.Project,
        In = Runtimes.All,
        Image = ContainerImage.Platform("sfp-workers"),
        Ports = [new(HttpEndpoint, HttpPort)],
        Environment =
        [
            HttpListener(ServiceNames.Workers),
            .. Telemetry(ServiceNames.Workers),
            .. Database,
            .. Credentials,
            .. WorkflowEngine,
            new(ServiceDiscoveryKey(ServiceNames.Verdaccio), Url(ServiceNames.Verdaccio)),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Publisher), nameof(RegistryAccount.Username)), VerdaccioConfigRenderer.Publisher),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Publisher), nameof(RegistryAccount.Password)), VerdaccioPublisherPassword),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Reader), nameof(RegistryAccount.Username)), VerdaccioConfigRenderer.Reader),
            new(SettingKey.Of(PackageRegistryOptions.SectionName, nameof(PackageRegistryOptions.Reader), nameof(RegistryAccount.Password)), VerdaccioReaderPassword),
            // The scheduler's tick: how late a due schedule (a platform sweep, a user's cron) may start.
            new(SettingKey.Of(ScheduleOptions.SectionName, nameof(ScheduleOptions.TickInterval)), "00:00:15"),
            // The image's npm, npx and sfp resolve through the platform's Verdaccio only (each run's .npmrc adds the account).
            new("NPM_CONFIG_REGISTRY", Url(ServiceNames.Verdaccio), Runtimes.Compose),
        ],
        Health = HealthCheck.Http(HttpEndpoint, "/health", HttpProbe.Bash),
        DependsOn = [new(ServiceNames.Api), new(ServiceNames.Verdaccio), new(ServiceNames.Hatchet)],
    };

    public static readonly ServiceContract Web = new()
    {
        Name = ServiceNames.Web,
        Title = "SfpPlatform.Web: the web app at /",
        Kind = ServiceKind.Project,
        In = Runtimes.All,
        Image = ContainerImage.Platform("sfp-web"),
        Ports = [new(HttpEndpoint, HttpPort)],
        Environment =
        [
            HttpListener(ServiceNames.Web),
            .. Telemetry(ServiceNames.Web),
            // The Data Protection key ring (sign-in cookies that survive restarts) is kept in the platform database.
            .. Database,
            new(ServiceDiscoveryKey(ServiceNames.Api), Url(ServiceNames.Api)),
            // The web app signs users in against GoTrue, server side, where it runs.
            new(ServiceDiscoveryKey(ServiceNames.Auth), Url(ServiceNames.Auth), Runtimes.WithContainers),
        ],
        Health = HealthCheck.Http(HttpEndpoint, "/health", HttpProbe.Bash),
        DependsOn = [new(ServiceNames.Api), new(ServiceNames.Auth)],
    };

    /// <summary>Everything: the edge's topology, the infrastructure and the platform's services.</summary>
    public static PlatformDeployment Deployment { get; } = new(
        PlatformTopology.Default,
        [.. InfrastructureServices.All, Api, Workers, Web]);

    /// <summary>Aspire's service-discovery key for a service's http endpoint (what <c>WithReference</c> writes).</summary>
    public static string ServiceDiscoveryKey(string service) => SettingKey.Of("services", service, HttpEndpoint, "0");
}
