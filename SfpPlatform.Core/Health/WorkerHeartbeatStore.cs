using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Health;

/// <summary>
/// The <c>worker_heartbeats</c> table: each Workers process upserts its own row every few seconds (stamped with the
/// database's clock, so the Api compares heartbeats with one clock), removes it when it stops, and purges rows of
/// workers that vanished without doing so.
/// </summary>
public sealed class WorkerHeartbeatStore(SfpDbContext db)
{
    /// <summary>Writes <paramref name="worker"/>'s row; its last heartbeat is the database's now.</summary>
    public Task BeatAsync(WorkerHeartbeat worker, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO worker_heartbeats (id, name, host, process_id, engine, version, started_at, last_heartbeat, slots_busy, slots_total, problem)
            VALUES ({worker.Id}, {worker.Name}, {worker.Host}, {worker.ProcessId}, {worker.Engine}, {worker.Version}, {worker.StartedAt}, now(),
                    {worker.SlotsBusy}, {worker.SlotsTotal}, {worker.Problem})
            ON CONFLICT (id) DO UPDATE SET last_heartbeat = now(), slots_busy = excluded.slots_busy, slots_total = excluded.slots_total,
                                           problem = excluded.problem
            """, cancellationToken);

    /// <summary>Removes a stopping worker's row: a worker shut down on purpose is not a silent one.</summary>
    public Task<int> ForgetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<WorkerHeartbeat>().Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Removes the rows of workers silent for longer than <paramref name="silentFor"/>.</summary>
    public Task<int> PurgeAsync(TimeSpan silentFor, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"DELETE FROM worker_heartbeats WHERE last_heartbeat < now() - {silentFor}", cancellationToken);

    /// <summary>Every worker's row with the database's now, to tell how long each has been silent.</summary>
    public async Task<(IReadOnlyList<WorkerHeartbeat> Workers, DateTimeOffset Now)> ListAsync(CancellationToken cancellationToken)
    {
        var now = await db.Database.SqlQuery<DateTimeOffset>($"SELECT now() AS \"Value\"").SingleAsync(cancellationToken);
        var workers = await db.Set<WorkerHeartbeat>().AsNoTracking().OrderBy(w => w.Name).ThenBy(w => w.StartedAt).ToListAsync(cancellationToken);
        return (workers, now);
    }
}
