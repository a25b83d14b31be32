using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Workers.Engine.Embedded;
using SfpPlatform.Workers.Engine.Hatchet;
using SfpPlatform.Workers.Health;

namespace SfpPlatform.Workers.Engine;

/// <summary>The engines' workers, running the <see cref="WorkflowDefinition"/>s registered in the container.</summary>
public static class WorkflowWorkerServiceCollectionExtensions
{
    /// <summary>
    /// The workers of the engine <c>Workflows:Engine</c> names: <c>embedded</c> (default) or <c>hatchet</c> (the relay of
    /// queued runs to Hatchet, a Hatchet worker, and the contract that cancels there too), on their own data source
    /// (<paramref name="connectionString"/>: the platform database).
    /// </summary>
    public static IServiceCollection AddWorkflowWorkers(this IServiceCollection services, IConfiguration configuration, string connectionString) =>
        WorkflowServiceCollectionExtensions.EngineName(configuration) == WorkflowEngines.Hatchet
            ? services.AddHatchetWorkflowWorker(connectionString)
            : services.AddEmbeddedWorkflowWorker(connectionString);

    /// <summary>The embedded engine's worker loops and its contract.</summary>
    public static IServiceCollection AddEmbeddedWorkflowWorker(this IServiceCollection services, string connectionString)
    {
        services.AddEmbeddedWorkflowEngine();
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration(WorkflowEngineOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkflowEngineOptions>, WorkflowEngineOptionsValidator>());
        services.AddStepExecutor(connectionString);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value;
            return new EngineProgress(sp.GetRequiredService<TimeProvider>(), WorkflowEngines.Embedded, options.EffectiveWorkerName, Math.Max(1, options.Loops));
        });
        services.AddHostedService<EmbeddedWorkflowWorker>();
        return services;
    }

    /// <summary>
    /// Hatchet runs the workflows: the outbox relay, the worker, and the engine contract. Hatchet's settings are checked
    /// at start: a worker that Hatchet would refuse (no token, a name it rejects, …) does not start.
    /// </summary>
    public static IServiceCollection AddHatchetWorkflowWorker(this IServiceCollection services, string connectionString)
    {
        services.AddHatchetOptions().ValidateOnStart();
        services.AddHatchetWorkflowEngine();
        services.AddStepExecutor(connectionString);
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<HatchetOptions>>().Value;
            return new EngineProgress(sp.GetRequiredService<TimeProvider>(), WorkflowEngines.Hatchet, options.EffectiveWorkerName, options.Slots);
        });
        services.AddHostedService<HatchetRelay>();
        services.AddHostedService<HatchetWorker>();

        // The schedules' cron triggers are Hatchet's: each cron schedule put as a workflow of its own, fired back here.
        services.AddWorkflowSchedules();
        services.AddOptions<ScheduleOptions>().BindConfiguration(ScheduleOptions.SectionName);
        services.TryAddSingleton<HatchetScheduleSync>();
        services.AddHostedService(sp => sp.GetRequiredService<HatchetScheduleSync>());
        services.TryAddSingleton<HatchetScheduleFire>();
        return services;
    }

    /// <summary>
    /// The workers' connection string with Npgsql's automatic preparation on (unless it sets its own): the engine runs
    /// the same few statements (claim, step start and end, finish, lease renewal) for every run, and a prepared
    /// statement is parsed and planned once per connection instead of on every execution (the claim is a large one).
    /// </summary>
    internal static string AutoPrepared(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>The step executor and the workers' run store, on a data source of their own.</summary>
    private static void AddStepExecutor(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(AutoPrepared(connectionString)));
        services.TryAddKeyedSingleton(StepExecutor.StoreKey,
            (sp, _) => WorkflowRunStore.ForWorkers(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<StepExecutor>();
        services.AddHostedService<RunQueueSampler>();
    }
}
