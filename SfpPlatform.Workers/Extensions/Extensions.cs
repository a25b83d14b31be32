using Microsoft.Extensions.Options;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Webhooks.Recovery;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Topology;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Retention;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Workers.Engine;
using SfpPlatform.Workers.Health;
using SfpPlatform.Workers.Engine.Schedules;
using SfpPlatform.Workers.Sweeps;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.Workflows;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Readiness includes Postgres: a worker that cannot reach the run queue is not ready.
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database, configureDbContextOptions: options => options.UseSfpConventions());

        // Provider credentials and clients for the workflows' steps.
        builder.Services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>();
        builder.Services.AddScoped<CredentialVault>();
        builder.Services.AddProviders();

        // GitHub delivery recovery, a platform sweep the scheduler runs.
        builder.Services.AddDeliveryRecovery();

        // The private npm registry: artifacts published by builds, read by every other step.
        builder.Services.AddOptions<PackageRegistryOptions>().BindConfiguration(PackageRegistryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PackageRegistryOptions>, PackageRegistryOptionsValidator>();
        builder.Services.AddHttpClient(PackageRegistry.HttpClientName);
        builder.Services.AddSingleton<PackageRegistry>();

        // Builds and review-environment leases, recorded in Postgres.
        builder.Services.AddScoped<BuildRecords>();
        builder.Services.AddScoped<SfpPlatform.Core.Audit.AuditLog>();
        builder.Services.AddScoped<ReviewEnvironmentLeases>();
        builder.Services.AddScoped<DeploymentStore>();
        builder.Services.AddOptions<ReviewEnvironmentOptions>().BindConfiguration(ReviewEnvironmentOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReviewEnvironmentOptions>, ReviewEnvironmentOptionsValidator>();

        // The sfp CLI the workflows run (tools/sfp), looked up when a step needs it.
        builder.Services.AddOptions<SfpCliOptions>().BindConfiguration(SfpCliOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<SfpCli>();

        // The embedded engine's worker loops and the workflows they run.
        builder.Services.AddSingleton<ProcessRunner>();
        builder.Services.AddSingleton(CommandWorkflow.Definition);
        builder.Services.AddSingleton(ValidateWorkflow.Create(Section<ValidateOptions>(builder, ValidateOptions.SectionName)));
        builder.Services.AddSingleton(BuildWorkflow.Create(Section<BuildOptions>(builder, BuildOptions.SectionName)));
        builder.Services.AddSingleton(DeployWorkflow.Create(Section<DeployOptions>(builder, DeployOptions.SectionName)));
        foreach (var definition in ReviewEnvironmentWorkflows.Definitions)
        {
            builder.Services.AddSingleton(definition);
        }

        // The scheduler and the platform's own sweeps, each pass a run of the internal platform-sweep workflow.
        builder.Services.AddWorkflowSchedules();
        builder.Services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ScheduleOptions>, ScheduleOptionsValidator>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        builder.Services.AddScoped<RetentionPurge>();
        builder.Services.AddScoped<IPlatformSweep, RetentionSweep>();
        builder.Services.AddScoped<IPlatformSweep, LeaseExpirySweep>();
        builder.Services.AddSingleton(PlatformSweepWorkflow.Definition);
        builder.Services.AddHostedService<SchedulerLoop>();

        builder.Services.AddWorkflowWorkers(builder.Configuration, builder.Configuration.GetConnectionString(ServiceNames.Database)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ServiceNames.Database} is not configured."));

        // Readiness also fails while an engine loop is stalled; each process writes its heartbeat row for the Overview.
        builder.Services.AddWorkerHealth();
    }

    private static T Section<T>(IHostApplicationBuilder builder, string name) where T : new() =>
        builder.Configuration.GetSection(name).Get<T>() ?? new T();
}
