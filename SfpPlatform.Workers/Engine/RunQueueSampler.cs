using SfpPlatform.Core.Telemetry;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Workers.Engine;

/// <summary>
/// Reads the run queue's depth and oldest age from the database every <see cref="Interval"/> and publishes it to the
/// queue gauges (<see cref="PlatformMetrics"/>): an exporter's scrape reads the last sample, so however often metrics are
/// collected the database sees one small query per interval per Workers process.
/// </summary>
internal sealed partial class RunQueueSampler(
    [FromKeyedServices(StepExecutor.StoreKey)] WorkflowRunStore store, ILogger<RunQueueSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                PlatformMetrics.ObserveQueue(await store.SampleQueueAsync(stoppingToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The gauges keep their last sample; the engine's own loops report the database's absence.
                SampleFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sampling the run queue failed: {Reason}")]
    private static partial void SampleFailed(ILogger logger, string reason);
}
