using System.Text.Json;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Hatchet.Schedules;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Workers.Engine.Hatchet;

/// <summary>
/// The <see cref="HatchetSchedules.FireAction"/> task: Hatchet's cron trigger fired a schedule's workflow. Starts the
/// platform's run for the tick Hatchet names through <see cref="ScheduleStore.FireAsync"/> — the code the Postgres
/// scheduler's tick runs, with the same idempotency key (schedule id + tick), so a second fire of a tick starts
/// nothing — and the relay hands that run to Hatchet like any other. A fire for a schedule that is gone or paused
/// starts nothing and puts the schedule's workflow without triggers.
/// </summary>
internal sealed partial class HatchetScheduleFire(IServiceScopeFactory scopes, HatchetScheduleSync sync, ILogger<HatchetScheduleFire> logger)
{
    /// <summary>What to tell Hatchet: the task's output when it completed, else the failure (and whether a retry could help).</summary>
    public sealed record Outcome(bool Completed, string Payload, bool ShouldNotRetry);

    public async Task<Outcome> RunAsync(JsonElement input, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        if (HatchetSchedules.ReadInput(input) is not { } schedule)
        {
            return new Outcome(false, "the task's input names no schedule (a schedule workflow's cron_input carries its id)", ShouldNotRetry: true);
        }

        if (HatchetSchedules.ReadTick(metadata) is not { } tick)
        {
            return new Outcome(false, $"the run carries no {HatchetSchedules.CronScheduledAtKey}: a schedule's workflow starts a run only when its cron fires", ShouldNotRetry: true);
        }

        ScheduleFire fire;
        await using (var scope = scopes.CreateAsyncScope())
        {
            fire = await scope.ServiceProvider.GetRequiredService<ScheduleStore>().FireAsync(schedule.ScheduleId, tick,
                metadata.GetValueOrDefault(HatchetSchedules.CronExpressionKey), scope.ServiceProvider.GetRequiredService<IWorkflowEngine>(), cancellationToken);
        }

        if (!fire.Started)
        {
            Skipped(logger, schedule.Name, tick, fire.Skipped!);
            if (fire.Withdraw)
            {
                await sync.DisableAsync(schedule.ScheduleId, fire.Name ?? schedule.Name, cancellationToken);
            }

            return new Outcome(true, JsonSerializer.Serialize(new { schedule = schedule.Name, tick, skipped = fire.Skipped }), false);
        }

        Fired(logger, fire.Name!, tick, fire.RunId?.ToString() ?? "(already started)");
        return new Outcome(true, JsonSerializer.Serialize(new { schedule = fire.Name, tick, run = fire.RunId }), false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hatchet fired schedule {Name} for {Tick:u}: run {RunId}")]
    private static partial void Fired(ILogger logger, string name, DateTimeOffset tick, string runId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hatchet fired schedule {Name} for {Tick:u}; no run: {Reason}")]
    private static partial void Skipped(ILogger logger, string name, DateTimeOffset tick, string reason);
}
