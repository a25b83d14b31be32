using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Contracts.Telemetry;
using SfpPlatform.Core.Auth;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Retention;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Topology;
using SfpPlatform.Web.Auth;
using SfpPlatform.Workers.Engine;
using SfpPlatform.Workers.Engine.Embedded;

namespace SfpPlatform.Cli.Configuration;

/// <summary>
/// A platform service's environment (as a container or project receives it) fed through the service's real options
/// binding, validators and start-up registrations. Every problem is returned, none thrown, so a test can show that a
/// missing or misspelt key is caught.
/// </summary>
public static class ServiceSettings
{
    /// <summary>Top-level configuration sections the platform's services read; anything else is a misspelling.</summary>
    private static readonly HashSet<string> KnownSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "ConnectionStrings", "services", CredentialOptions.SectionName, AuthOptions.SectionName, HatchetOptions.SectionName,
        PackageRegistryOptions.SectionName, WorkflowEngineOptions.SectionName, SfpCliOptions.SectionName, "ASPNETCORE_HTTP_PORTS", "NPM_CONFIG_REGISTRY",
        IntegrationOptions.SectionName, ReviewEnvironmentOptions.SectionName, ScheduleOptions.SectionName, RetentionOptions.SectionName,
        TelemetryOptions.SectionName,
    };

    /// <summary>Prefixes the hosts themselves add (Aspire's telemetry and launch settings), not the platform's keys.</summary>
    private static readonly string[] HostPrefixes = ["OTEL_", "ASPNETCORE_", "DOTNET_", "Logging", "LOGGING", "HTTP_PORTS", "HTTPS_PORTS"];

    public static IConfiguration Configuration(IReadOnlyDictionary<string, string> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)))
            .Build();

    public static IReadOnlyList<string> Problems(string service, IReadOnlyDictionary<string, string> environment, bool hatchet)
    {
        var problems = new List<string>();
        var configuration = Configuration(environment);
        foreach (var key in environment.Keys.Where(k => !HostPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))))
        {
            if (!KnownSections.Contains(key.Split("__")[0]))
            {
                problems.Add($"{service}: {key} is not a setting any platform service reads.");
            }
        }

        switch (service)
        {
            case ServiceNames.Api:
                Database(configuration, problems);
                Validate(configuration, CredentialOptions.SectionName, new CredentialOptionsValidator(), problems);
                Validate(configuration, AuthOptions.SectionName, new AuthOptionsValidator(), problems);
                Validate(configuration, IntegrationOptions.SectionName, new IntegrationOptionsValidator(), problems);
                Engine(configuration, hatchet, problems, workers: false);
                break;
            case ServiceNames.Workers:
                Database(configuration, problems);
                Validate(configuration, CredentialOptions.SectionName, new CredentialOptionsValidator(), problems);
                Registry(configuration, problems);
                Validate<SfpCliOptions>(configuration, SfpCliOptions.SectionName, null, problems);
                Validate(configuration, ReviewEnvironmentOptions.SectionName, new ReviewEnvironmentOptionsValidator(), problems);
                Validate(configuration, ScheduleOptions.SectionName, new ScheduleOptionsValidator(), problems);
                Validate(configuration, RetentionOptions.SectionName, new RetentionOptionsValidator(), problems);
                Engine(configuration, hatchet, problems, workers: true);
                break;
            case ServiceNames.Web:
                Database(configuration, problems);
                Web(configuration, hatchet, problems);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(service));
        }

        // Every service samples its traces (ServiceDefaults validates the same annotations at start).
        Validate(configuration, TelemetryOptions.SectionName, new DataAnnotationValidateOptions<TelemetryOptions>(null), problems);
        return problems;
    }

    /// <summary>Binds a section the way the service does, refusing keys no property takes, then runs the validator.</summary>
    public static T? Validate<T>(IConfiguration configuration, string section, IValidateOptions<T>? validator, List<string> problems)
        where T : class, new()
    {
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>(binder => binder.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException e)
        {
            problems.Add($"{section}: {e.Message}");
            return null;
        }

        if (validator?.Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            problems.AddRange(result.Failures.Select(f => $"{section}: {f}"));
        }

        return options;
    }

    private static void Database(IConfiguration configuration, List<string> problems)
    {
        var connectionString = configuration.GetConnectionString(ServiceNames.Database);
        if (string.IsNullOrEmpty(connectionString))
        {
            problems.Add($"ConnectionStrings:{ServiceNames.Database} is not set.");
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Host is null || builder.Database != ServiceNames.Database || string.IsNullOrEmpty(builder.Password))
        {
            problems.Add($"ConnectionStrings:{ServiceNames.Database} names no host, database {ServiceNames.Database} and password.");
        }
    }

    private static void Registry(IConfiguration configuration, List<string> problems)
    {
        var options = Validate(configuration, PackageRegistryOptions.SectionName, new PackageRegistryOptionsValidator(), problems);
        if (options is null)
        {
            return;
        }

        if (!options.Publisher.IsConfigured || !options.Reader.IsConfigured)
        {
            problems.Add("PackageRegistry: the publisher and reader accounts must both be configured.");
        }

        try
        {
            _ = new PackageRegistry(null!, Options.Create(options), configuration).Url;
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
        }
    }

    /// <summary>
    /// The engine the service registers (its real start-up registration), and where Hatchet runs, the client settings
    /// Hatchet's plain-text gRPC needs: a token, TLS strategy none, an address.
    /// </summary>
    private static void Engine(IConfiguration configuration, bool hatchet, List<string> problems, bool workers)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        try
        {
            if (workers)
            {
                services.AddWorkflowWorkers(configuration, configuration.GetConnectionString(ServiceNames.Database) ?? "");
            }
            else
            {
                services.AddWorkflowEngine(configuration);
            }
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
            return;
        }

        var engine = services.Last(d => d.ServiceType == typeof(IWorkflowEngine)).ImplementationType?.Name;
        var expected = hatchet ? "HatchetWorkflowEngine" : "EmbeddedWorkflowEngine";
        if (engine != expected)
        {
            problems.Add($"{WorkflowEngines.SettingKey}: the service registers {engine}, not {expected}.");
        }

        if (!hatchet)
        {
            if (workers)
            {
                // The section also holds the engine's name and each workflow's subsection: bound leniently, as the worker binds it.
                var engineOptions = configuration.GetSection(WorkflowEngineOptions.SectionName).Get<WorkflowEngineOptions>() ?? new WorkflowEngineOptions();
                if (new WorkflowEngineOptionsValidator().Validate(Options.DefaultName, engineOptions) is { Failed: true } result)
                {
                    problems.AddRange(result.Failures);
                }
            }

            return;
        }

        var options = Validate(configuration, HatchetOptions.SectionName, new HatchetOptionsValidator(), problems);
        if (options is null)
        {
            return;
        }

        if (options.Token.Length == 0)
        {
            problems.Add("Hatchet:Token is blank.");
        }

        if (!string.Equals(options.TlsStrategy, "none", StringComparison.Ordinal))
        {
            problems.Add($"Hatchet:TlsStrategy is '{options.TlsStrategy}': hatchet-lite serves plain-text gRPC.");
        }

        try
        {
            if (options.ResolveGrpcAddress().Scheme != "http")
            {
                problems.Add("Hatchet: the gRPC address is not plain HTTP/2.");
            }
        }
        catch (InvalidOperationException e)
        {
            problems.Add(e.Message);
        }
    }

    /// <summary>HatchetOptions' validator where Core has one (it is being added beside the options).</summary>
    private static void Web(IConfiguration configuration, bool gotrue, List<string> problems)
    {
        var signIn = new SignInOptions(configuration, new ProductionEnvironment());
        if (gotrue && !Uri.TryCreate(signIn.GoTrueUrl, UriKind.Absolute, out _))
        {
            problems.Add("Web: no GoTrue URL (services:auth:http:0), so nobody can sign in.");
        }

        if (!Uri.TryCreate(configuration["services:api:http:0"], UriKind.Absolute, out _))
        {
            problems.Add("Web: no Api URL (services:api:http:0).");
        }
    }

    private sealed class ProductionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "SfpPlatform.Web";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
