using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>The schedules' store and contract (the Api's list and edits; the Workers add the scheduler loop).</summary>
public static class ScheduleServiceCollectionExtensions
{
    public static IServiceCollection AddWorkflowSchedules(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<ScheduleStore>();
        services.TryAddScoped<IWorkflowScheduler, EmbeddedWorkflowScheduler>();
        return services;
    }
}
