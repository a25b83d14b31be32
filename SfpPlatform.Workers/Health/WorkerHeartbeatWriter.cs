using System.Reflection;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Health;

namespace SfpPlatform.Workers.Health;

/// <summary>
/// Writes this process's heartbeat row every <see cref="WorkersHealthAssessment.HeartbeatInterval"/> (name, host, process
/// id, engine, version, slots busy and total, and the stalled loops if any), purges the rows of workers silent for
/// longer than <see cref="WorkersHealthAssessment.ForgetAfter"/> about once a minute, and removes its own row when the
/// process stops. A beat that fails (the database away) is logged and tried again at the next tick.
/// </summary>
internal sealed partial class WorkerHeartbeatWriter(
    IServiceScopeFactory scopes, EngineProgress progress, TimeProvider time, ILogger<WorkerHeartbeatWriter> logger) : BackgroundService
{
    private const int PurgeEveryBeats = 12;

    private readonly WorkerHeartbeat _row = new()
    {
        Id = Guid.NewGuid(),
        Name = StoredText.Clip(progress.WorkerName, 200),
        Host = StoredText.Clip(Environment.MachineName, 200),
        ProcessId = Environment.ProcessId,
        Engine = progress.Engine,
        Version = StoredText.Clip(typeof(WorkerHeartbeatWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown", 100),
        StartedAt = time.GetUtcNow(),
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(WorkersHealthAssessment.HeartbeatInterval, time);
        var beats = 0;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<WorkerHeartbeatStore>();
                var stalled = progress.Stalled();
                _row.SlotsBusy = progress.SlotsBusy;
                _row.SlotsTotal = progress.SlotsTotal;
                _row.Problem = stalled.Count == 0 ? null : StoredText.Clip(string.Join("; ", stalled), 1000);
                await store.BeatAsync(_row, stoppingToken);
                if (beats++ % PurgeEveryBeats == 0)
                {
                    await store.PurgeAsync(WorkersHealthAssessment.ForgetAfter, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                BeatFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            await scope.ServiceProvider.GetRequiredService<WorkerHeartbeatStore>().ForgetAsync(_row.Id, deadline.Token);
        }
        catch (Exception e)
        {
            // The row then goes silent and is purged later; the Overview shows it silent meanwhile.
            BeatFailed(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the worker heartbeat failed: {Reason}")]
    private static partial void BeatFailed(ILogger logger, string reason);
}
