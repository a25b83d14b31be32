using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

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
}
