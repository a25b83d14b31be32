using Microsoft.Extensions.Options;
using SfpPlatform.Contracts.Schedules;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Workers.Engine.Schedules;

/// <summary>
/// The scheduler: keeps a schedule for every <see cref="IPlatformSweep"/> registered in the container (its default
/// cron, or <c>Schedules:Sweeps:&lt;name&gt;</c>), and every <see cref="ScheduleOptions.TickInterval"/> starts the
/// runs of the schedules that are due (<see cref="ScheduleStore.TriggerDueAsync"/>: once per tick across any number
/// of Workers processes; one run for all missed ticks after downtime). With Hatchet as the engine, Hatchet's own cron
/// triggers fire the cron schedules (<c>HatchetScheduleSync</c> registers them) and this loop starts only the one-offs,
/// so no tick is started twice.
/// </summary>
internal sealed partial class SchedulerLoop(
    IServiceScopeFactory scopes, IOptions<ScheduleOptions> options, IConfiguration configuration, ILogger<SchedulerLoop> logger) : BackgroundService
{
    private readonly bool _cronFiredByEngine = WorkflowServiceCollectionExtensions.EngineName(configuration) == WorkflowEngines.Hatchet;

    /// <summary>How many due schedules one transaction starts.</summary>
    public const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ensured = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!ensured)
                {
                    await EnsureSweepSchedulesAsync(stoppingToken);
                    ensured = true;
                }

                int fired;
                do
                {
                    fired = await TickAsync(stoppingToken);
                }
                while (fired == Batch);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                TickFailed(logger, e);
            }

            await Task.Delay(options.Value.TickInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One tick: the due schedules' runs, started through the engine contract.</summary>
    private async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var fired = await scope.ServiceProvider.GetRequiredService<ScheduleStore>()
            .TriggerDueAsync(scope.ServiceProvider.GetRequiredService<IWorkflowEngine>(), Batch, cancellationToken, _cronFiredByEngine);
        foreach (var (name, tick, runId) in fired)
        {
            Fired(logger, name, tick.Tick, tick.Missed, runId?.ToString() ?? "(already started)");
        }

        return fired.Count;
    }

    private async Task EnsureSweepSchedulesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<ScheduleStore>();
        foreach (var sweep in scope.ServiceProvider.GetServices<IPlatformSweep>())
        {
            var cron = options.Value.Sweeps.GetValueOrDefault(sweep.Name) ?? sweep.DefaultCron;
            await store.EnsureAsync(new ScheduleDefinition(sweep.Name, WorkflowNames.PlatformSweep, PlatformSweepWorkflow.Input(sweep.Name),
                null, cron, null, ScheduleOwners.Platform), cancellationToken);
            SweepScheduled(logger, sweep.Name, cron);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Name} ran for {Tick:u} ({Missed} tick(s) due): run {RunId}")]
    private static partial void Fired(ILogger logger, string name, DateTimeOffset tick, int missed, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {Name} is scheduled on '{Cron}' (UTC)")]
    private static partial void SweepScheduled(ILogger logger, string name, string cron);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduler's tick failed; retrying at the next")]
    private static partial void TickFailed(ILogger logger, Exception exception);
}
