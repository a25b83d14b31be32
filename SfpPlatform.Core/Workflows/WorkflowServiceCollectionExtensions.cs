using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using SfpPlatform.Core.Workflows.Hatchet;

namespace SfpPlatform.Core.Workflows;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>The embedded engine: the contract (trigger, cancel, status) and its queue.</summary>
    public static IServiceCollection AddEmbeddedWorkflowEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<WorkflowRuns>();
        services.TryAddScoped<IWorkflowEngine, EmbeddedWorkflowEngine>();
        return services;
    }

    /// <summary>
    /// The embedded engine's worker loops, running the <see cref="WorkflowDefinition"/>s registered in the container,
    /// on their own data source (<paramref name="connectionString"/>: the platform database).
    /// </summary>
    public static IServiceCollection AddEmbeddedWorkflowWorker(this IServiceCollection services, string connectionString)
    {
        services.AddEmbeddedWorkflowEngine();
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration(WorkflowEngineOptions.SectionName);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddHostedService<EmbeddedWorkflowWorker>();
        return services;
    }

    /// <summary>The engine contract (trigger, cancel, status) of the engine <c>Workflows:Engine</c> names, without workers.</summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEmbeddedWorkflowEngine();
        if (string.Equals(configuration[WorkflowEngines.SettingKey], WorkflowEngines.Hatchet, StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddScoped<EmbeddedWorkflowEngine>();
            services.AddScoped<IWorkflowEngine, HatchetWorkflowEngine>();
            services.AddOptions<HatchetOptions>().BindConfiguration(HatchetOptions.SectionName);
            services.TryAddSingleton<HatchetConnection>();
        }

        return services;
    }

    /// <summary>
    /// The workers of the engine <c>Workflows:Engine</c> names: <c>embedded</c> (default) or <c>hatchet</c> (the
    /// relay of queued runs to Hatchet, a Hatchet worker, and the contract that cancels there too).
    /// </summary>
    public static IServiceCollection AddWorkflowWorkers(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        var engine = configuration[WorkflowEngines.SettingKey] ?? WorkflowEngines.Embedded;
        switch (engine.ToLowerInvariant())
        {
            case "embedded":
                return services.AddEmbeddedWorkflowWorker(connectionString);
            case "hatchet":
                return services.AddHatchetWorkflowWorker(connectionString);
            default:
                throw new InvalidOperationException($"Workflows:Engine is '{engine}': use 'embedded' or 'hatchet'.");
        }
    }

    /// <summary>Hatchet runs the workflows: the outbox relay, the worker, and the engine contract.</summary>
    public static IServiceCollection AddHatchetWorkflowWorker(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<WorkflowRuns>();
        services.TryAddScoped<EmbeddedWorkflowEngine>();
        services.TryAddScoped<IWorkflowEngine, HatchetWorkflowEngine>();
        services.AddOptions<HatchetOptions>().BindConfiguration(HatchetOptions.SectionName);
        services.TryAddSingleton<HatchetConnection>();
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddHostedService<HatchetRelay>();
        services.AddHostedService<HatchetWorker>();
        return services;
    }
}
