using System.Threading.Channels;

namespace SfpPlatform.Core.Data;

/// <summary>
/// Group commit: items submitted concurrently are written together, up to <c>maxBatch</c> per call of the write
/// function (one transaction, one commit, one WAL flush for all of them), by a few writer loops. A writer takes
/// whatever has queued up while the previous batch was committing, so batches grow with the load and a lone item
/// waits for nobody. Each submitter awaits its own result, which exists only once its batch committed.
/// <para>
/// A batch that fails is retried item by item when <c>retryAlone</c> says the error may belong to one item (a
/// constraint, a value Postgres refuses), so one bad item does not fail its neighbours; otherwise (the database is
/// down) every item of the batch fails with the error. Either way a failed write committed nothing.
/// </para>
/// </summary>
public sealed class GroupCommitBatcher<TItem, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _write;
    private readonly Func<Exception, bool> _retryAlone;
    private readonly int _maxBatch;
    private readonly int _writers;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Lock _start = new();
    private Task[]? _loops;
    private long _batches;
    private long _items;

    public GroupCommitBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> write, int maxBatch, int writers, Func<Exception, bool>? retryAlone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        _write = write;
        _maxBatch = maxBatch;
        _writers = writers;
        _retryAlone = retryAlone ?? (_ => false);
    }

    /// <summary>Batches written so far (successful or not), and the items in them: their ratio is the mean batch size.</summary>
    public (long Batches, long Items) Written => (Interlocked.Read(ref _batches), Interlocked.Read(ref _items));

    /// <summary>
    /// Queues <paramref name="item"/> and completes with its result once its batch committed, or with the write's
    /// exception. A cancelled wait does not withdraw the item: it may still be written (so writes must be idempotent
    /// for the caller that retries).
    /// </summary>
    public Task<TResult> SubmitAsync(TItem item, CancellationToken cancellationToken)
    {
        EnsureStarted();
        var pending = new Pending(item);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitBatcher<TItem, TResult>), "The batcher is shutting down; nothing was written.");
        }

        return pending.Result.Task.WaitAsync(cancellationToken);
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _loops) is not null)
        {
            return;
        }

        lock (_start)
        {
            // Without the first submitter's execution context: its request's activity must not become every batch's parent.
            using (ExecutionContext.SuppressFlow())
            {
                _loops ??= Enumerable.Range(0, _writers).Select(_ => Task.Run(WriterAsync)).ToArray();
            }
        }
    }

    private async Task WriterAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_maxBatch);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch, allowRetry: true);
                batch.Clear();
            }
        }
    }

    private async Task WriteAsync(List<Pending> batch, bool allowRetry)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, batch.Count);
        IReadOnlyList<TResult> results;
        try
        {
            // Not cancellable from outside: once written, a batch is committed or rolled back whole, never abandoned half-way.
            results = await _write(batch.ConvertAll(p => p.Item), CancellationToken.None);
            if (results.Count != batch.Count)
            {
                throw new InvalidOperationException($"The write returned {results.Count} results for {batch.Count} items.");
            }
        }
        catch (Exception e) when (allowRetry && batch.Count > 1 && _retryAlone(e))
        {
            foreach (var pending in batch)
            {
                await WriteAsync([pending], allowRetry: false);
            }

            return;
        }
        catch (Exception e)
        {
            foreach (var pending in batch)
            {
                pending.Result.TrySetException(e);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    /// <summary>Stops taking items and waits until every queued one was written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (Volatile.Read(ref _loops) is { } loops)
        {
            await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        public TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
