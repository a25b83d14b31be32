using Npgsql;

namespace SfpPlatform.Core.Workflows;

/// <summary>The wake-up every engine component listens for: <c>NOTIFY</c> on <see cref="WorkflowRuns.Channel"/> when runs are enqueued.</summary>
internal static class WorkflowRunNotifications
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
                await using (var listen = new NpgsqlCommand($"LISTEN {WorkflowRuns.Channel}", connection))
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

/// <summary>Releases every waiter at once (however many notifications arrived); a waiter that misses a signal wakes on its poll interval.</summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Completes at the next <see cref="Set"/>: take it before checking for work, so a signal during the check is not missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => WaitAsync(Next, timeout, cancellationToken);

    public static async Task WaitAsync(Task signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.WhenAny(signal, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }
}
