using System.Collections.Concurrent;
using SfpPlatform.Core.Data;

namespace SfpPlatform.UnitTests.Core.Data;

/// <summary>
/// The intake's group commit, without a database: a write function that records its batches and can be held at a gate,
/// so which items share a batch is decided by the test, not by timing.
/// </summary>
public sealed class GroupCommitBatcherTests
{
    private readonly ConcurrentQueue<int[]> _batches = new();
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task ItemsQueuedWhileABatchCommits_AreWrittenTogether_EachAnsweredWithItsOwnResult()
    {
        await using var batcher = new GroupCommitBatcher<int, string>(HeldWrite(poison: null), maxBatch: 64, writers: 1);

        var first = batcher.SubmitAsync(0, Cancellation);
        await _entered.Task.WaitAsync(Cancellation);
        var rest = Enumerable.Range(1, 10).Select(i => batcher.SubmitAsync(i, Cancellation)).ToArray();
        Assert.False(rest.Any(t => t.IsCompleted), "nothing is answered before its batch committed");
        _gate.SetResult();

        Assert.Equal("0", await first);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), await Task.WhenAll(rest));
        Assert.Equal(new int[][] { [0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, _batches.ToArray());
        Assert.Equal((2L, 11L), batcher.Written);
    }

    [Fact]
    public async Task ABatchHoldsAtMostMaxBatchItems()
    {
        await using var batcher = new GroupCommitBatcher<int, string>(HeldWrite(poison: null), maxBatch: 4, writers: 1);

        var first = batcher.SubmitAsync(0, Cancellation);
        await _entered.Task.WaitAsync(Cancellation);
        var rest = Enumerable.Range(1, 10).Select(i => batcher.SubmitAsync(i, Cancellation)).ToArray();
        _gate.SetResult();
        await Task.WhenAll(rest.Append(first));

        Assert.Equal(new int[][] { [0], [1, 2, 3, 4], [5, 6, 7, 8], [9, 10] }, _batches.ToArray());
    }

    [Fact]
    public async Task AFailedBatch_FailsEveryItemInIt_WithTheError_WhenTheErrorIsNotOneItems()
    {
        await using var batcher = new GroupCommitBatcher<int, string>(HeldWrite(poison: 3), maxBatch: 64, writers: 1, retryAlone: _ => false);

        var first = batcher.SubmitAsync(0, Cancellation);
        await _entered.Task.WaitAsync(Cancellation);
        var rest = Enumerable.Range(1, 5).Select(i => batcher.SubmitAsync(i, Cancellation)).ToArray();
        _gate.SetResult();

        Assert.Equal("0", await first);
        foreach (var item in rest)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => item);
            Assert.Equal("poison 3", error.Message);
        }

        Assert.Equal(new int[][] { [0], [1, 2, 3, 4, 5] }, _batches.ToArray());
    }

    [Fact]
    public async Task AFailedBatch_IsRetriedItemByItem_WhenTheErrorMayBeOneItems_SoOnlyThatItemFails()
    {
        await using var batcher = new GroupCommitBatcher<int, string>(HeldWrite(poison: 3), maxBatch: 64, writers: 1, retryAlone: e => e is InvalidOperationException);

        var first = batcher.SubmitAsync(0, Cancellation);
        await _entered.Task.WaitAsync(Cancellation);
        var rest = Enumerable.Range(1, 5).ToDictionary(i => i, i => batcher.SubmitAsync(i, Cancellation));
        _gate.SetResult();
        await first;

        foreach (var (i, item) in rest)
        {
            if (i == 3)
            {
                await Assert.ThrowsAsync<InvalidOperationException>(() => item);
            }
            else
            {
                Assert.Equal(i.ToString(), await item);
            }
        }

        Assert.Equal(new int[][] { [0], [1, 2, 3, 4, 5], [1], [2], [3], [4], [5] }, _batches.ToArray());
    }

    [Fact]
    public async Task Dispose_WritesEveryQueuedItemFirst_AndRefusesNewOnes()
    {
        var batcher = new GroupCommitBatcher<int, string>(HeldWrite(poison: null), maxBatch: 2, writers: 1);
        var first = batcher.SubmitAsync(0, Cancellation);
        await _entered.Task.WaitAsync(Cancellation);
        var rest = Enumerable.Range(1, 5).Select(i => batcher.SubmitAsync(i, Cancellation)).ToArray();

        var disposing = batcher.DisposeAsync().AsTask();
        Assert.Throws<ObjectDisposedException>(() => { _ = batcher.SubmitAsync(99, Cancellation); });
        _gate.SetResult();
        await disposing;

        Assert.Equal(Enumerable.Range(0, 6).Select(i => i.ToString()), await Task.WhenAll(rest.Prepend(first)));
        Assert.Equal(6, _batches.Sum(b => b.Length));
    }

    /// <summary>Records each batch; the first waits at the gate; a batch holding <paramref name="poison"/> throws (and "commits" nothing).</summary>
    private Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<string>>> HeldWrite(int? poison) => async (items, _) =>
    {
        _batches.Enqueue(items.ToArray());
        _entered.TrySetResult();
        await _gate.Task;
        if (poison is { } p && items.Contains(p))
        {
            throw new InvalidOperationException($"poison {p}");
        }

        return items.Select(i => i.ToString()).ToArray();
    };
}
