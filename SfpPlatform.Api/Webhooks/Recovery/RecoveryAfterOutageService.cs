using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks.Recovery;

namespace SfpPlatform.Api.Webhooks.Recovery;

/// <summary>
/// Runs one <see cref="DeliveryRecovery"/> pass as soon as the database answers after the Api refused deliveries
/// (and once after start), so GitHub deliveries refused during an outage come back within seconds, not at the next
/// scheduled pass. A pass that fails (the database went away again) is tried again.
/// </summary>
internal sealed partial class RecoveryAfterOutageService(
    DeliveryOutageSignal signal, DeliveryRecovery recovery, IServiceScopeFactory scopes, TimeProvider time, ILogger<RecoveryAfterOutageService> logger)
    : BackgroundService
{
    /// <summary>How often the signal and then the database are looked at (memory, then one connection attempt).</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(Poll, time, stoppingToken);
            if (!signal.Armed || !await DatabaseAnswersAsync(stoppingToken) || !signal.TryDisarm())
            {
                continue;
            }

            try
            {
                var report = await recovery.RecoverAsync(stoppingToken);
                Log.Recovered(logger, report.Summary);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                signal.Arm();
                Log.Failed(logger, e);
            }
        }
    }

    private async Task<bool> DatabaseAnswersAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<SfpDbContext>().Database.CanConnectAsync(cancellationToken);
        }
        catch (Exception e) when (DatabaseErrors.IsUnavailable(e))
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Recovery after refused deliveries: {Summary}")]
        public static partial void Recovered(ILogger logger, string summary);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Recovery after refused deliveries failed; trying again")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
