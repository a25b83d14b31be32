using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using SfpPlatform.Contracts.Schedules;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// The one owner of <c>workflow_schedules</c>: create, list, pause, delete, and the scheduler's tick. A tick locks the
/// due schedules with <c>FOR UPDATE SKIP LOCKED</c>, starts each one's run through the engine contract (joining the
/// tick's transaction, with the idempotency key schedule id + tick) and advances <c>next_run_at</c> in the same
/// transaction: schedulers racing in several processes start each tick exactly once, and a tick that fails half-way
/// starts nothing and is retried by the next.
/// </summary>
public sealed class ScheduleStore(SfpDbContext db, TimeProvider time)
{
    public const int MaxNameLength = 100;

    /// <summary>Adds a schedule; false when one with that name exists.</summary>
    public async Task<bool> CreateAsync(ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cron = definition.Cron is null ? null : CronSchedule.Parse(definition.Cron);
        db.WorkflowSchedules.Add(new WorkflowSchedule
        {
            Id = Guid.CreateVersion7(),
            Name = definition.Name,
            Workflow = definition.Workflow,
            Input = JsonDocument.Parse(definition.Input.GetRawText()),
            ProjectKey = definition.ProjectKey,
            Cron = cron?.Expression,
            RunAt = cron is null ? definition.At : null,
            NextRunAt = SchedulePolicy.First(cron, definition.At, now),
            Owner = definition.Owner,
            CreatedAt = now,
            UpdatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// A platform sweep's schedule: added if missing; its cron replaced (and its next run recomputed) when the
    /// configured one changed. A pause an owner set is kept.
    /// </summary>
    public async Task EnsureAsync(ScheduleDefinition definition, CancellationToken cancellationToken)
    {
        var cron = CronSchedule.Parse(definition.Cron ?? throw new ArgumentException("A platform schedule needs a cron expression.", nameof(definition)));
        var now = time.GetUtcNow();
        var input = definition.Input.GetRawText();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO workflow_schedules AS s (id, name, workflow, input, project_key, cron, run_at, next_run_at, paused, owner, created_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {definition.Name}, {definition.Workflow}, CAST({input} AS jsonb), {definition.ProjectKey},
                    {cron.Expression}, NULL, {cron.NextAfter(now)}, false, {definition.Owner}, {now}, {now})
            ON CONFLICT (name) DO UPDATE SET
                workflow = excluded.workflow, input = excluded.input, cron = excluded.cron, run_at = NULL, owner = excluded.owner,
                next_run_at = excluded.next_run_at, updated_at = excluded.updated_at
            WHERE s.cron IS DISTINCT FROM excluded.cron OR s.workflow <> excluded.workflow OR s.input <> excluded.input
            """, cancellationToken);
    }

    public async Task<IReadOnlyList<ScheduleSummary>> ListAsync(CancellationToken cancellationToken) =>
        await (from s in db.WorkflowSchedules.AsNoTracking()
               join r in db.Set<WorkflowRun>() on s.LastRunId equals r.Id into last
               from r in last.DefaultIfEmpty()
               orderby s.Name
               select new ScheduleSummary(s.Name, s.Workflow, s.ProjectKey, s.Cron, s.RunAt, s.NextRunAt, s.LastRunId,
                   r == null ? null : r.Status, s.LastTickAt, s.Paused, s.Owner))
            .ToListAsync(cancellationToken);

    public Task<WorkflowSchedule?> FindAsync(string name, CancellationToken cancellationToken) =>
        db.WorkflowSchedules.AsNoTracking().SingleOrDefaultAsync(s => s.Name == name, cancellationToken);

    /// <summary>Deletes a schedule; false when there is none of that name.</summary>
    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        await db.WorkflowSchedules.Where(s => s.Name == name).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>
    /// Pauses or resumes a schedule; false when there is none of that name. A resumed cron schedule next runs at its
    /// first occurrence after now: the ticks it missed while paused are not caught up.
    /// </summary>
    public async Task<bool> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        var schedule = await db.WorkflowSchedules.SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (schedule is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (schedule.Paused && !paused && schedule.Cron is not null)
        {
            schedule.NextRunAt = CronSchedule.Parse(schedule.Cron).NextAfter(now);
        }

        schedule.Paused = paused;
        schedule.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The scheduler's tick: starts one run for each due schedule (at most <paramref name="batch"/>) through
    /// <paramref name="engine"/>, in one transaction with the advance of their <c>next_run_at</c>. Returns the ticks
    /// it handled (a tick whose run already existed — same idempotency key — counts, with a null run id). With
    /// <paramref name="cronFiredByEngine"/> (Hatchet fires the cron schedules itself, see <see cref="FireAsync"/>) only
    /// one-off schedules are started here.
    /// </summary>
    public async Task<IReadOnlyList<(string Name, ScheduleTick Tick, Guid? RunId)>> TriggerDueAsync(
        IWorkflowEngine engine, int batch, CancellationToken cancellationToken, bool cronFiredByEngine = false)
    {
        // The Workers' context retries transient failures: the whole transaction is the unit it retries (a retry
        // starts the same ticks again; their idempotency keys keep that to one run each).
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            var fired = new List<(string, ScheduleTick, Guid?)>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = await db.WorkflowSchedules.FromSql($"""
                SELECT * FROM workflow_schedules
                WHERE NOT paused AND next_run_at IS NOT NULL AND next_run_at <= {now} AND (cron IS NULL OR NOT {cronFiredByEngine})
                ORDER BY next_run_at LIMIT {batch}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            foreach (var schedule in due)
            {
                var cron = schedule.Cron is null ? null : CronSchedule.Parse(schedule.Cron);
                var tick = SchedulePolicy.Due(cron, schedule.NextRunAt!.Value, now)!;
                fired.Add((schedule.Name, tick, await StartTickAsync(schedule, tick, engine, now, cancellationToken)));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return (IReadOnlyList<(string, ScheduleTick, Guid?)>)fired;
        });
    }

    /// <summary>
    /// A tick the engine fired (Hatchet's cron trigger) for schedule <paramref name="scheduleId"/> at
    /// <paramref name="tick"/>: starts its run exactly as <see cref="TriggerDueAsync"/> does (same idempotency key, so a
    /// second fire of the same tick starts nothing) unless the schedule is gone, paused, or no longer on
    /// <paramref name="cron"/> (a registration Hatchet still holds from before a change).
    /// </summary>
    public async Task<ScheduleFire> FireAsync(Guid scheduleId, DateTimeOffset tick, string? cron, IWorkflowEngine engine, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var now = time.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var schedule = await db.WorkflowSchedules.FromSql($"SELECT * FROM workflow_schedules WHERE id = {scheduleId} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken);
            if (schedule is null || schedule.Paused || schedule.Cron is null || cron is not null && cron != schedule.Cron)
            {
                var reason = schedule is null ? "the schedule was deleted"
                    : schedule.Paused ? "the schedule is paused"
                    : $"the schedule is no longer on '{cron}'";
                return new ScheduleFire(schedule?.Name, null, false, reason) { Withdraw = schedule is null || schedule.Paused };
            }

            var next = CronSchedule.Parse(schedule.Cron).NextAfter(tick > now ? tick : now);
            var runId = await StartTickAsync(schedule, new ScheduleTick(tick, next, 1), engine, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new ScheduleFire(schedule.Name, runId, true, null);
        });
    }

    /// <summary>The cron schedules as Hatchet should have them (one-offs stay with the Postgres scheduler).</summary>
    public async Task<IReadOnlyList<Hatchet.Schedules.HatchetScheduleState>> CronStatesAsync(CancellationToken cancellationToken) =>
        await db.WorkflowSchedules.AsNoTracking().Where(s => s.Cron != null).OrderBy(s => s.Name)
            .Select(s => new Hatchet.Schedules.HatchetScheduleState(s.Id, s.Name, s.Cron, s.Paused))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// What a tick does, whoever noticed it (the Postgres scheduler or Hatchet's cron): the schedule's run through the
    /// engine contract, joining the caller's transaction, with the idempotency key schedule id + tick; then the
    /// schedule's next run and last tick (never moved back by a late duplicate of an older tick).
    /// </summary>
    private async Task<Guid?> StartTickAsync(WorkflowSchedule schedule, ScheduleTick tick, IWorkflowEngine engine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runId = await engine.TriggerAsync(new WorkflowTrigger(schedule.Workflow, schedule.Input.RootElement)
        {
            ProjectKey = schedule.ProjectKey,
            IdempotencyKey = SchedulePolicy.IdempotencyKey(schedule.Id, tick.Tick),
        }, cancellationToken);
        schedule.NextRunAt = tick.Next;
        if (schedule.LastTickAt is null || schedule.LastTickAt <= tick.Tick)
        {
            schedule.LastTickAt = tick.Tick;
            schedule.LastRunId = runId ?? schedule.LastRunId;
        }

        schedule.UpdatedAt = now;
        return runId;
    }
}
