using System.Diagnostics;

namespace SfpPlatform.Workers.Engine;

/// <summary>What one renewal of a lease found.</summary>
internal enum LeaseRenewal
{
    /// <summary>Renewed: the holder still holds it.</summary>
    Held,

    /// <summary>The renewal did not get through (a dropped connection, an engine outage): the next one tries again.</summary>
    Failed,

    /// <summary>Held, and the run was asked to stop (cancelled, or superseded by a newer run).</summary>
    CancelRequested,

    /// <summary>Someone else holds it now: the holder must stop and write nothing more.</summary>
    Lost,
}

/// <summary>
/// A worker's hold on what it runs — the embedded engine's lease on a run, a Hatchet task's timeout — kept by one loop
/// that renews it every <c>period</c> (a third of the lease, so it outlives two missed renewals). The renewal is told
/// how long it has been since the last one that got through (Hatchet adds that much to the task's timeout). A lost
/// lease or a cancel request — found by a renewal, or sent by the engine — cancels <see cref="Token"/>, which stops the step.
/// </summary>
internal sealed class Lease : IAsyncDisposable
{
    // Never disposed: an engine's cancel may arrive after the lease is let go, and must then do nothing rather than throw.
    private readonly CancellationTokenSource _cancel = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private volatile bool _lost;
    private volatile bool _cancelRequested;
    private volatile bool _cancelledByEngine;
    private int _disposed;

    /// <summary>Cancelled when the lease is lost or the run is asked to stop.</summary>
    public CancellationToken Token => _cancel.Token;

    public bool Lost => _lost;

    public bool CancelRequested => _cancelRequested;

    /// <summary>The cancel came from the engine (<see cref="Cancel"/>), not from a renewal that found it in the platform's record.</summary>
    public bool CancelledByEngine => _cancelledByEngine;

    /// <summary>Starts renewing, the first renewal one <paramref name="period"/> from now.</summary>
    public Lease Keep(TimeSpan period, Func<TimeSpan, CancellationToken, Task<LeaseRenewal>> renew)
    {
        _loop = RenewAsync(period, renew, _stop.Token);
        return this;
    }

    /// <summary>The engine asked the run to stop (Hatchet's cancel action).</summary>
    public void Cancel()
    {
        _cancelledByEngine = true;
        RequestCancel();
    }

    /// <summary>Stops renewing (once; later calls do nothing).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void RequestCancel()
    {
        _cancelRequested = true;
        _cancel.Cancel();
    }

    private async Task RenewAsync(TimeSpan period, Func<TimeSpan, CancellationToken, Task<LeaseRenewal>> renew, CancellationToken stop)
    {
        var sinceRenewed = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(period, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            LeaseRenewal renewal;
            try
            {
                renewal = await renew(sinceRenewed.Elapsed, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            switch (renewal)
            {
                case LeaseRenewal.Held:
                    sinceRenewed.Restart();
                    break;
                case LeaseRenewal.CancelRequested:
                    sinceRenewed.Restart();
                    if (!_cancelRequested)
                    {
                        RequestCancel();
                    }

                    break;
                case LeaseRenewal.Lost:
                    _lost = true;
                    await _cancel.CancelAsync();
                    return;
            }
        }
    }
}
