using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Api.Apis;
using SfpPlatform.Api.Auth;
using SfpPlatform.Api.Integrations;
using SfpPlatform.Api.Problems;
using SfpPlatform.Api.Webhooks;
using SfpPlatform.Api.Webhooks.Recovery;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Topology;

namespace SfpPlatform.Api.Extensions;

internal static class Extensions
{
    private const int MaxDatabaseConnections = 50;

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        // Binding failures throw in every environment, so one handler answers them with a precise 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DatabaseUnavailableExceptionHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ExceptionHandlerOptions>(o =>
            o.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException);
        builder.Services.AddPlatformOpenApi();
        builder.Services.AddSingleton(TimeProvider.System);

        // Connection string "sfp"; adds the Postgres readiness check and tracing. No automatic retries here: a request
        // fails fast with a 503 while the database is down (a webhook provider then redelivers), and the webhook intake
        // runs its own transaction (delivery + run), which a retrying strategy would refuse.
        // The pool stays well under Postgres's max_connections (100 by default), which Workers and operators share.
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database, settings =>
        {
            settings.DisableRetry = true;
            if (settings.ConnectionString is { } connectionString)
            {
                var pooled = new NpgsqlConnectionStringBuilder(connectionString);
                pooled.MaxPoolSize = Math.Min(pooled.MaxPoolSize, MaxDatabaseConnections);
                settings.ConnectionString = pooled.ConnectionString;
            }
        }, options => options.UseSfpConventions());

        builder.AddPlatformAuthentication();

        builder.Services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>();
        builder.Services.AddScoped<CredentialVault>();
        builder.Services.AddScoped<SfpPlatform.Core.Audit.AuditLog>();
        builder.Services.AddScoped<SfpPlatform.Core.Audit.AuditQuery>();
        builder.Services.AddProviders();
        builder.Services.AddWebhookIntake();
        builder.AddDeliveryRecoveryAfterOutage();
        builder.Services.AddWorkflowEngine(builder.Configuration);
        builder.Services.AddWorkflowSchedules();
        builder.AddWebhookConcurrencyLimit();

        // Environments, releases and deployments; releases are checked against the registry (read with the reader account).
        builder.Services.AddScoped<DeploymentStore>();
        builder.Services.AddScoped<SfpPlatform.Core.Health.WorkerHeartbeatStore>();
        builder.Services.AddOptions<PackageRegistryOptions>().BindConfiguration(PackageRegistryOptions.SectionName);
        builder.Services.AddHttpClient(PackageRegistry.HttpClientName);
        builder.Services.AddSingleton<PackageRegistry>();
        builder.Services.AddHttpClient<ConnectionTester>(client => client.Timeout = TimeSpan.FromSeconds(30));
    }
}
