namespace SfpPlatform.Workers.Engine;

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
