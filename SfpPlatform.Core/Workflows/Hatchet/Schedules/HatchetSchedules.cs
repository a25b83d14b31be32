using System.Globalization;
using System.Text.Json;
using SfpPlatform.Core.Workflows.Hatchet.Contracts.V1;

namespace SfpPlatform.Core.Workflows.Hatchet.Schedules;

/// <summary>
/// How a cron schedule of <c>workflow_schedules</c> is registered with Hatchet's own cron support. Hatchet keeps one
/// <c>cron_input</c> per workflow, so each schedule is a Hatchet workflow of its own (<see cref="WorkflowName"/>),
/// put with <c>PutWorkflow</c>: <c>cron_triggers</c> = the schedule's cron (none while it is paused or once it is
/// deleted: Hatchet's gRPC contract has no call that deletes a workflow, and a re-put without triggers deletes the
/// version's cron refs), <c>cron_input</c> = the schedule's id and name, and one task on the shared
/// <see cref="FireAction"/>. When Hatchet fires it, the worker starts the platform's run for the tick Hatchet names
/// (<see cref="CronScheduledAtKey"/>) through the same code the Postgres scheduler uses.
/// </summary>
public static class HatchetSchedules
{
    /// <summary>The action every schedule workflow's task runs; the Hatchet worker registers it.</summary>
    public const string FireAction = "sfp-schedule:fire";

    /// <summary>The readable id of a schedule workflow's one task.</summary>
    public const string FireTask = "fire";

    /// <summary>How a schedule workflow's name begins (the rest is the schedule's id, so it is valid by Hatchet's name rules).</summary>
    public const string WorkflowPrefix = "sfp-schedule-";

    /// <summary>The additional metadata Hatchet's ticker gives a cron run: the tick (RFC 3339, whole seconds, UTC) and the expression.</summary>
    public const string CronScheduledAtKey = "hatchet__cron_scheduled_at";

    public const string CronExpressionKey = "hatchet__cron_expression";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>The Hatchet workflow of schedule <paramref name="scheduleId"/>: <c>sfp-schedule-&lt;id, 32 hex digits&gt;</c>.</summary>
    public static string WorkflowName(Guid scheduleId) => WorkflowPrefix + scheduleId.ToString("N", CultureInfo.InvariantCulture);

    /// <summary>
    /// The <c>PutWorkflow</c> request for a schedule: with its cron as the one cron trigger when <paramref name="state"/>
    /// is active, without triggers when it is paused or gone. Putting the same state again is a no-op in Hatchet (same checksum).
    /// </summary>
    public static CreateWorkflowVersionRequest Registration(HatchetScheduleState state)
    {
        var request = new CreateWorkflowVersionRequest
        {
            Name = WorkflowName(state.Id),
            Description = $"sfp schedule {state.Name}",
            CronInput = JsonSerializer.Serialize(new HatchetScheduleInput(state.Id, state.Name), JsonOptions),
        };
        if (state.ActiveCron is { } cron)
        {
            request.CronTriggers.Add(cron);
        }

        // Starting a run is one short transaction; a fire that fails (the database away) is tried twice more, and each
        // try has the same idempotency key.
        request.Tasks.Add(new CreateTaskOpts
        {
            ReadableId = FireTask,
            Action = FireAction,
            Timeout = "60s",
            Inputs = "{}",
            Retries = 2,
            BackoffFactor = 2,
            BackoffMaxSeconds = 30,
        });
        return request;
    }

    /// <summary>
    /// What to put so Hatchet matches <paramref name="current"/> (the schedules with a cron), given what this process last
    /// put (<paramref name="registered"/>, by schedule id): every schedule new or changed, and every one no longer there
    /// (deleted) again without triggers.
    /// </summary>
    public static IReadOnlyList<HatchetScheduleState> Changes(
        IReadOnlyDictionary<Guid, HatchetScheduleState> registered, IReadOnlyCollection<HatchetScheduleState> current)
    {
        var changes = current.Where(s => !registered.TryGetValue(s.Id, out var put) || put != s).ToList();
        var ids = current.Select(s => s.Id).ToHashSet();
        changes.AddRange(registered.Values.Where(s => !ids.Contains(s.Id) && s.ActiveCron is not null).Select(s => s with { Cron = null }));
        return changes;
    }

    /// <summary>The schedule a fire is for, from its task's input (the workflow's <c>cron_input</c>); null when it names none.</summary>
    public static HatchetScheduleInput? ReadInput(JsonElement input) =>
        input.ValueKind == JsonValueKind.Object && input.Deserialize<HatchetScheduleInput>(JsonOptions) is { ScheduleId: var id } parsed && id != Guid.Empty
            ? parsed
            : null;

    /// <summary>The tick Hatchet fired for (its <see cref="CronScheduledAtKey"/> metadata); null when the run carries none (not a cron fire).</summary>
    public static DateTimeOffset? ReadTick(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(CronScheduledAtKey, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var tick)
            ? tick
            : null;
}
