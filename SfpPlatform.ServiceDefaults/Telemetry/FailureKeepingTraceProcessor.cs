using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;

namespace SfpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// Sits in front of the trace exporter's processor and passes it a share of the ordinary traces (by
/// <see cref="TraceIdRatio"/>) and every trace that failed in this process, whole. The SDK has no tail sampler, so every
/// span is recorded (the sampler stays the SDK's) and this processor decides at export: a span of a trace in the ratio
/// goes straight on; the others wait, grouped by their trace's local root (the outermost span of this process), until
/// either a span of that trace fails (the waiting spans and every later one go on) or the root ends without a failure
/// (they are dropped). A failure is an Error status, an <c>exception</c> event, or a server span answering 5xx.
/// The waiting spans are bounded: past <c>maxBufferedSpans</c> the oldest waiting trace is dropped and counted in
/// <c>sfp.telemetry.spans.evicted</c>. Only the SDK's own span objects are held, nothing copied out of them.
/// </summary>
/// <remarks>
/// Deriving from <see cref="CompositeProcessor{T}"/> hands the exporter's processor its provider (the resource: the
/// service name), flushes and shutdowns; <see cref="OnEnd"/> chooses what reaches it.
/// </remarks>
public sealed class FailureKeepingTraceProcessor : CompositeProcessor<Activity>
{
    /// <summary>Set on a local root once its trace failed: its later spans go straight to the exporter.</summary>
    private const string KeptProperty = "sfp.trace.kept";

    private static readonly Meter Meter = new(Microsoft.Extensions.Hosting.Extensions.MeterName);

    private static readonly Counter<long> Evicted = Meter.CreateCounter<long>(
        "sfp.telemetry.spans.evicted", "{span}",
        "Spans of unfinished traces dropped because the trace buffer was full (their trace was neither in the sample ratio nor failed yet).");

    private readonly BaseProcessor<Activity> _export;
    private readonly TraceIdRatio _ratio;
    private readonly int _maxBufferedSpans;
    private readonly Lock _gate = new();
    private readonly Dictionary<Activity, LinkedListNode<WaitingTrace>> _waiting = new(ReferenceEqualityComparer.Instance);
    private readonly LinkedList<WaitingTrace> _oldestFirst = new();
    private int _buffered;

    public FailureKeepingTraceProcessor(BaseProcessor<Activity> export, TraceIdRatio ratio, int maxBufferedSpans)
        : base([export])
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedSpans, 1);
        _export = export;
        _ratio = ratio;
        _maxBufferedSpans = maxBufferedSpans;
    }

    /// <summary>Spans waiting for their trace's decision now.</summary>
    public int BufferedSpans
    {
        get
        {
            lock (_gate)
            {
                return _buffered;
            }
        }
    }

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded)
        {
            return;
        }

        if (_ratio.Includes(data.TraceId))
        {
            _export.OnEnd(data);
            return;
        }

        var root = RootOf(data);
        List<Activity>? release = null;
        var exportThis = false;
        var evicted = 0;
        lock (_gate)
        {
            if (root.GetCustomProperty(KeptProperty) is true)
            {
                exportThis = true;
            }
            else if (IsFailure(data))
            {
                root.SetCustomProperty(KeptProperty, true);
                release = Take(root);
                exportThis = true;
            }
            else if (ReferenceEquals(root, data))
            {
                // The trace ended here without a failure and outside the ratio.
                Take(root);
            }
            else if (!root.IsStopped)
            {
                evicted = Buffer(root, data);
            }

            // A span ending after its dropped root is dropped with it.
        }

        if (evicted > 0)
        {
            Evicted.Add(evicted);
        }

        if (release is not null)
        {
            foreach (var span in release)
            {
                _export.OnEnd(span);
            }
        }

        if (exportThis)
        {
            _export.OnEnd(data);
        }
    }

    /// <summary>A span that failed: an Error status, a recorded exception, or a server span that answered 5xx.</summary>
    public static bool IsFailure(Activity span)
    {
        if (span.Status == ActivityStatusCode.Error)
        {
            return true;
        }

        if (span.Kind == ActivityKind.Server && span.GetTagItem("http.response.status_code") is int status && status >= 500)
        {
            return true;
        }

        foreach (ref readonly var e in span.EnumerateEvents())
        {
            if (e.Name == "exception")
            {
                return true;
            }
        }

        return false;
    }

    private List<Activity>? Take(Activity root)
    {
        if (!_waiting.Remove(root, out var node))
        {
            return null;
        }

        _oldestFirst.Remove(node);
        _buffered -= node.Value.Spans.Count;
        return node.Value.Spans;
    }

    /// <summary>Holds a span until its root's decision; returns how many spans were dropped to make room.</summary>
    private int Buffer(Activity root, Activity span)
    {
        var evicted = 0;
        while (_buffered >= _maxBufferedSpans && _oldestFirst.First is { } oldest)
        {
            _oldestFirst.RemoveFirst();
            _waiting.Remove(oldest.Value.Root);
            _buffered -= oldest.Value.Spans.Count;
            evicted += oldest.Value.Spans.Count;
        }

        if (!_waiting.TryGetValue(root, out var node))
        {
            node = _oldestFirst.AddLast(new WaitingTrace(root));
            _waiting[root] = node;
        }

        node.Value.Spans.Add(span);
        _buffered++;
        return evicted;
    }

    /// <summary>The outermost span of this process in the span's trace (its parent, if any, is remote).</summary>
    private static Activity RootOf(Activity span)
    {
        var root = span;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return root;
    }

    private sealed record WaitingTrace(Activity Root)
    {
        public List<Activity> Spans { get; } = [];
    }
}
