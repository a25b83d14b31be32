using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Core.Workflows.Hatchet;
using SfpPlatform.Core.Workflows.Hatchet.Schedules;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>
/// Keeps Hatchet's cron triggers in step with <c>workflow_schedules</c> (users' schedules and the platform's sweeps):
/// every <see cref="ScheduleOptions.TickInterval"/> it puts each cron schedule that is new or changed since this process
/// last put it (<see cref="HatchetSchedules.Changes"/>) — on start, all of them — as a Hatchet workflow of its own with
/// the schedule's cron as its trigger (none while paused), and a deleted one again without triggers. Hatchet keeps a
/// put with an unchanged checksum as it is, so several Workers processes putting the same schedules agree. A schedule
/// deleted while no Workers process ran keeps its trigger in Hatchet until it next fires: the fire finds no schedule,
/// starts nothing and puts it without triggers (<see cref="DisableAsync"/>).
/// </summary>
internal sealed partial class HatchetScheduleSync(
    IServiceScopeFactory scopes, HatchetConnection hatchet, IOptions<ScheduleOptions> schedules, IOptions<HatchetOptions> options,
    ILogger<HatchetScheduleSync> logger) : BackgroundService
{
    // What this process last put, by schedule id; a schedule Hatchet refused is kept too (with its state), so it is
    // reported once per change rather than on every pass.
    private readonly ConcurrentDictionary<Guid, HatchetScheduleState> _registered = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RpcException or NpgsqlException or TimeoutException or InvalidOperationException)
            {
                SyncFailed(logger, HatchetRetries.Describe(e, options.Value, hatchet.Address));
            }

            await Task.Delay(schedules.Value.TickInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One pass: the changes since the last, each put; one that fails is tried again at the next pass.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<HatchetScheduleState> current;
        await using (var scope = scopes.CreateAsyncScope())
        {
            current = await scope.ServiceProvider.GetRequiredService<ScheduleStore>().CronStatesAsync(cancellationToken);
        }

        foreach (var state in HatchetSchedules.Changes(_registered, current))
        {
            try
            {
                await PutAsync(state, cancellationToken);
                Registered(logger, state.Name, HatchetSchedules.WorkflowName(state.Id), state.ActiveCron ?? "(no trigger)");
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.InvalidArgument)
            {
                Refused(logger, state.Name, state.Cron ?? "", e.Status.Detail);
            }

            if (state.Cron is null)
            {
                _registered.TryRemove(state.Id, out _);
            }
            else
            {
                _registered[state.Id] = state;
            }
        }
    }

    /// <summary>Puts schedule <paramref name="scheduleId"/>'s workflow without triggers: Hatchet fired a schedule that is gone or paused.</summary>
    public async Task DisableAsync(Guid scheduleId, string? name, CancellationToken cancellationToken)
    {
        var state = new HatchetScheduleState(scheduleId, name ?? scheduleId.ToString("N"), null, Paused: true);
        await PutAsync(state, cancellationToken);
        Registered(logger, state.Name, HatchetSchedules.WorkflowName(scheduleId), "(no trigger)");
    }

    private async Task PutAsync(HatchetScheduleState state, CancellationToken cancellationToken) =>
        await hatchet.Admin.PutWorkflowAsync(HatchetSchedules.Registration(state), deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Name} is Hatchet workflow {Workflow}, cron trigger {Cron}")]
    private static partial void Registered(ILogger logger, string name, string workflow, string cron);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hatchet refused schedule {Name} ('{Cron}'): {Detail}. It does not run until its cron is one Hatchet accepts.")]
    private static partial void Refused(ILogger logger, string name, string cron, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Putting the schedules' cron triggers to Hatchet failed ({Reason}); retrying at the next pass")]
    private static partial void SyncFailed(ILogger logger, string reason);
}
