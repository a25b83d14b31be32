using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Workflows;

/// <summary>The engine contract and the run store; the engines' workers are registered by the Workers (<c>AddWorkflowWorkers</c>).</summary>
public static class WorkflowServiceCollectionExtensions
{
    /// <summary>The engine <c>Workflows:Engine</c> names (<see cref="WorkflowEngines"/>); refuses a name it does not know.</summary>
    public static string EngineName(IConfiguration configuration)
    {
        var engine = configuration[WorkflowEngines.SettingKey] ?? WorkflowEngines.Embedded;
        return engine.ToLowerInvariant() switch
        {
            WorkflowEngines.Embedded => WorkflowEngines.Embedded,
            WorkflowEngines.Hatchet => WorkflowEngines.Hatchet,
            _ => throw new InvalidOperationException($"{WorkflowEngines.SettingKey} is '{engine}': use '{WorkflowEngines.Embedded}' or '{WorkflowEngines.Hatchet}'."),
        };
    }

    /// <summary>The run store of the scope: its statements join the scope's <see cref="SfpDbContext"/> and its open transaction.</summary>
    public static IServiceCollection AddWorkflowRunStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RunWakeNotifier>();
        services.TryAddScoped(sp => new WorkflowRunStore(
            sp.GetRequiredService<SfpDbContext>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RunWakeNotifier>()));
        return services;
    }

    /// <summary>The embedded engine's contract (trigger, cancel, status) and its queue.</summary>
    public static IServiceCollection AddEmbeddedWorkflowEngine(this IServiceCollection services)
    {
        services.AddWorkflowRunStore();
        services.TryAddScoped<IWorkflowEngine, EmbeddedWorkflowEngine>();
        return services;
    }

    /// <summary>
    /// The engine contract (trigger, cancel, status) of the engine <c>Workflows:Engine</c> names, without workers. With
    /// Hatchet, its settings are checked when a cancel first needs Hatchet, not at start: a process that only enqueues
    /// and cancels runs (the Api) starts and keeps storing runs without Hatchet configured or reachable.
    /// </summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services, IConfiguration configuration)
    {
        if (EngineName(configuration) == WorkflowEngines.Embedded)
        {
            return services.AddEmbeddedWorkflowEngine();
        }

        services.AddHatchetOptions();
        return services.AddHatchetWorkflowEngine();
    }

    /// <summary>Hatchet's settings, bound from the <c>Hatchet</c> section and checked by <see cref="HatchetOptionsValidator"/>.</summary>
    public static OptionsBuilder<HatchetOptions> AddHatchetOptions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HatchetOptions>, HatchetOptionsValidator>());
        return services.AddOptions<HatchetOptions>().BindConfiguration(HatchetOptions.SectionName);
    }

    /// <summary>Hatchet's engine contract: runs enqueued in the store, cancelled there and in Hatchet.</summary>
    public static IServiceCollection AddHatchetWorkflowEngine(this IServiceCollection services)
    {
        services.AddWorkflowRunStore();
        services.TryAddSingleton<HatchetConnection>();
        services.Replace(ServiceDescriptor.Scoped<IWorkflowEngine, HatchetWorkflowEngine>());
        return services;
    }
}
