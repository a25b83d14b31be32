using Npgsql;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Workers.Engine;

/// <summary>The wake-up every engine component listens for: <c>NOTIFY</c> on <see cref="WorkflowRunStore.Channel"/> when runs are enqueued.</summary>
internal static class RunNotifications
{
    /// <summary>Calls <paramref name="notified"/> on each notification; reconnects after a failure (callers poll meanwhile).</summary>
    public static async Task ListenAsync(
        NpgsqlDataSource dataSource, Action notified, TimeSpan retryDelay, Action<Exception> failed, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => notified();
                await using (var listen = new NpgsqlCommand($"LISTEN {WorkflowRunStore.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                failed(e);
                await Task.Delay(retryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
