using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.UnitTests.Core.Workflows;

/// <summary>
/// The coalescing wake-up: however many enqueues ask within one interval, one NOTIFY goes out after it; a request after
/// that gets one of its own; a failed send loses no later wake-up. Time is a fake clock, advanced by the test.
/// </summary>
public sealed class RunWakeNotifierTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);
    private readonly FakeTimeProvider _time = new();
    private int _sends;
    private int _failures;

    [Fact]
    public async Task ManyRequestsInOneInterval_SendOneNotification_AndALaterRequestSendsAnother()
    {
        await using var notifier = new RunWakeNotifier(Send, Interval, _time, NullLogger.Instance);

        for (var i = 0; i < 1000; i++)
        {
            notifier.Notify();
        }

        Assert.Equal(0, Volatile.Read(ref _sends));
        await AdvanceUntilAsync(() => Volatile.Read(ref _sends) == 1);
        // No request pending: however much time passes, nothing more is sent.
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(Interval);
            await Task.Yield();
        }

        Assert.Equal(1, Volatile.Read(ref _sends));
        Assert.Equal(1, notifier.Sent);

        notifier.Notify();
        await AdvanceUntilAsync(() => Volatile.Read(ref _sends) == 2);
        Assert.Equal(2, notifier.Sent);
    }

    [Fact]
    public async Task AFailedSend_IsNotFatal_TheNextRequestStillSends()
    {
        _failures = 1;
        await using var notifier = new RunWakeNotifier(Send, Interval, _time, NullLogger.Instance);

        notifier.Notify();
        await AdvanceUntilAsync(() => Volatile.Read(ref _failures) == 0);
        Assert.Equal(0, notifier.Sent);

        notifier.Notify();
        await AdvanceUntilAsync(() => notifier.Sent == 1);
        Assert.Equal(1, Volatile.Read(ref _sends));
    }

    private Task Send(CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new InvalidOperationException("the database is unavailable");
        }

        Interlocked.Exchange(ref _failures, 0);
        Interlocked.Increment(ref _sends);
        return Task.CompletedTask;
    }

    /// <summary>The notifier's loop runs on the thread pool: advance the fake clock until it has done what is expected.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        while (!done())
        {
            Cancellation.ThrowIfCancellationRequested();
            _time.Advance(Interval);
            await Task.Delay(1, Cancellation);
        }
    }
}
