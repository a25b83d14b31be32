using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Polly;
using SfpPlatform.Contracts.Http;
using SfpPlatform.Contracts.Telemetry;
using SfpPlatform.ServiceDefaults.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service defaults shared by every SfpPlatform service: OpenTelemetry, health checks, service discovery and
/// standard HTTP resilience. Shaped after the Aspire starter template.
/// </summary>
public static class Extensions
{
    /// <summary>Readiness: every registered check, including the database where a service uses one.</summary>
    public const string HealthEndpointPath = "/health";

    /// <summary>Liveness: only the checks tagged <c>live</c>.</summary>
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The activity sources of the platform's own code, exported beside the framework's.</summary>
    public const string ActivitySourceName = "SfpPlatform";

    /// <summary>The meter of the platform's own instruments (SfpPlatform.Core's <c>PlatformMetrics</c>).</summary>
    public const string MeterName = "SfpPlatform";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddBasicServiceDefaults();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options => options.Retry.RetryOnlyIdempotentRequests());
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// Retries only what may be sent twice (<see cref="IdempotentRequests.MayRetry"/>): a safe method, or an unsafe
    /// one its caller marked idempotent. The outcomes retried stay the pipeline's own (5xx, 408, 429, transport errors).
    /// </summary>
    public static HttpRetryStrategyOptions RetryOnlyIdempotentRequests(this HttpRetryStrategyOptions retry)
    {
        var outcomes = retry.ShouldHandle;
        retry.ShouldHandle = args => IdempotentRequests.MayRetry(args.Context.GetRequestMessage()) ? outcomes(args) : PredicateResult.False();
        return retry;
    }

    /// <summary>Telemetry and health checks without the HTTP client defaults (for hosts that configure their own).</summary>
    public static TBuilder AddBasicServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Blank: no export (compose leaves it blank unless the operator names a collector; the AppHost gives its dashboard).
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MeterName);
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName, ActivitySourceName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Probes would drown the traces that matter.
                        options.Filter = context => !IsHealthProbe(context.Request.Path))
                    .AddHttpClientInstrumentation(options =>
                        options.FilterHttpRequestMessage = request => !IsHealthProbe(request.RequestUri?.AbsolutePath));
                if (exportOtlp)
                {
                    tracing.AddProcessor(SampledOtlpTraceExport);
                }
            });

        return builder;
    }

    /// <summary>
    /// The OTLP trace exporter behind <see cref="FailureKeepingTraceProcessor"/>: a share of the ordinary traces
    /// (<see cref="TelemetryOptions.TraceSampleRatio"/>) and every failed one, whole. The exporter's settings are the
    /// standard <c>OTEL_EXPORTER_OTLP_*</c> and <c>OTEL_BSP_*</c> ones, read from configuration as the logs' and metrics'
    /// exporters read them.
    /// </summary>
    private static BaseProcessor<Activity> SampledOtlpTraceExport(IServiceProvider services)
    {
        var telemetry = services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var otlp = services.GetRequiredService<IOptionsMonitor<OtlpExporterOptions>>().Get(Microsoft.Extensions.Options.Options.DefaultName);
        var exporter = new OtlpTraceExporter(otlp);
        var batch = otlp.BatchExportProcessorOptions;
        BaseProcessor<Activity> export = otlp.ExportProcessorType == ExportProcessorType.Simple
            ? new SimpleActivityExportProcessor(exporter)
            : new BatchActivityExportProcessor(exporter, batch.MaxQueueSize, batch.ScheduledDelayMilliseconds,
                batch.ExporterTimeoutMilliseconds, batch.MaxExportBatchSize);
        return new FailureKeepingTraceProcessor(export, new TraceIdRatio(telemetry.TraceSampleRatio), telemetry.MaxBufferedSpans);
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    private static bool IsHealthProbe(string? path) =>
        path is not null && IsHealthProbe(new PathString(path));

    /// <summary>
    /// Runs the start-up validation of every options class registered with <c>ValidateOnStart</c> now, rather than when
    /// the host starts: for work a host does before it runs (the Api's migrations). Throws with every failure.
    /// </summary>
    public static void ValidateOptionsNow(this IHost host) =>
        host.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> and <c>/alive</c> in every environment: the edge, Caddy and the AppHost probe them.
    /// They answer only a status word. <paramref name="configure"/> lets a host confine them (the edge serves them
    /// on its management listener only).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, Action<IEndpointConventionBuilder>? configure = null)
    {
        var health = app.MapHealthChecks(HealthEndpointPath);
        var alive = app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
        });

        configure?.Invoke(health);
        configure?.Invoke(alive);
        return app;
    }
}
