using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Core.Workflows.Runs;

/// <summary>
/// Wakes the workers after runs were enqueued, with one <c>NOTIFY</c> on <see cref="WorkflowRunStore.Channel"/> per
/// <see cref="Interval"/> at most, however many runs were enqueued in it, sent on a connection of its own.
/// <para>
/// Why not <c>NOTIFY</c> in the enqueueing transaction: Postgres serialises the commits of every transaction that ran
/// <c>NOTIFY</c> (a global lock held from pre-commit through the WAL flush, seen as <c>Lock: object</c>), so notifying
/// intakes commit one at a time. Here the enqueuers' commits group as any others do, and only the notifier's tiny
/// transaction takes that lock, once per interval. Callers call <see cref="Notify"/> after their commit, so the
/// notification never arrives before the run is visible; a lost notification costs a worker's poll interval, never a run.
/// </para>
/// </summary>
public sealed partial class RunWakeNotifier : IAsyncDisposable
{
    /// <summary>How long a wake-up waits for more enqueues to go with it (the latency it adds, at most).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(5);

    private readonly Func<CancellationToken, Task> _send;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wanted = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _start = new();
    private Task? _loop;
    private int _pending;
    private long _sent;

    /// <summary>The notifier of a process: sends through a scoped <see cref="SfpDbContext"/> (the process's own connection pool).</summary>
    public RunWakeNotifier(IServiceScopeFactory scopes, TimeProvider time, ILogger<RunWakeNotifier>? logger = null)
        : this(ct => SendAsync(scopes, ct), DefaultInterval, time, logger ?? (ILogger)NullLogger.Instance)
    {
    }

    public RunWakeNotifier(Func<CancellationToken, Task> send, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _send = send;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    public TimeSpan Interval => _interval;

    /// <summary>How many notifications were sent (for tests and benchmarks).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>
    /// Asks for a wake-up: call it after the transaction that enqueued runs committed. Cheap and non-blocking; calls
    /// within one interval share one notification.
    /// </summary>
    public void Notify()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        EnsureStarted();
        _wanted.Release();
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_start)
        {
            // Without the first caller's execution context (its request's activity is not the notifier's parent).
            using (ExecutionContext.SuppressFlow())
            {
                _loop ??= Task.Run(() => LoopAsync(_stopping.Token));
            }
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wanted.WaitAsync(stoppingToken);
                // Gather: everything asked for during the interval goes with the one notification sent after it. The
                // flag is cleared before sending, so a request that arrives while sending gets a notification of its own.
                await Task.Delay(_interval, _time, stoppingToken);
                Interlocked.Exchange(ref _pending, 0);
                await _send(stoppingToken);
                Interlocked.Increment(ref _sent);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The workers' polling picks the runs up; the next request tries again.
                Log.SendFailed(_logger, e);
            }
        }
    }

    private static async Task SendAsync(IServiceScopeFactory scopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SfpDbContext>();
        await db.Database.ExecuteSqlRawAsync($"NOTIFY {WorkflowRunStore.Channel}", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
        _wanted.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Could not wake the workers (NOTIFY failed); they pick the runs up on their next poll")]
        public static partial void SendFailed(ILogger logger, Exception exception);
    }
}
