using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using SfpPlatform.ServiceDefaults.Telemetry;

namespace SfpPlatform.UnitTests.ServiceDefaults;

/// <summary>
/// The trace sampling of every service, through a real OpenTelemetry tracer provider: failed traces reach the exporter
/// whole, ordinary ones by ratio, and the spans waiting for a decision stay bounded.
/// </summary>
public sealed class FailureKeepingTraceProcessorTests : IDisposable
{
    // Trace ids at either end of the ratio's range: the first is in any ratio above 0, the second in none below 1.
    private const string LowTraceId = "00000000000000000123456789abcdef";
    private const string HighTraceId = "ffffffffffffffff0123456789abcdef";

    private readonly ActivitySource _source = new("SfpPlatform.UnitTests.Sampling." + Guid.NewGuid().ToString("n"));
    private readonly Exported _exported = new();
    private TracerProvider? _provider;
    private FailureKeepingTraceProcessor _processor = null!;

    [Theory]
    [InlineData("status")]
    [InlineData("exception")]
    [InlineData("http 503")]
    public void AFailedTrace_OutsideTheRatio_IsExportedWhole_WithSpansEndedBeforeAndAfterTheFailure(string failure)
    {
        Start(ratio: 0);

        var root = _source.StartActivity("POST /webhooks", ActivityKind.Server, Remote(HighTraceId))!;
        var before = _source.StartActivity("verify")!;
        before.Stop();
        var failing = _source.StartActivity("store", failure == "http 503" ? ActivityKind.Server : ActivityKind.Internal)!;
        var inner = _source.StartActivity("insert")!;
        inner.Stop();
        switch (failure)
        {
            case "status":
                failing.SetStatus(ActivityStatusCode.Error, "refused");
                break;
            case "exception":
                failing.AddException(new InvalidOperationException("boom"));
                break;
            default:
                failing.SetTag("http.response.status_code", 503);
                break;
        }

        failing.Stop();
        var after = _source.StartActivity("answer")!;
        after.Stop();
        root.Stop();

        Assert.Equal(new[] { "verify", "insert", "store", "answer", "POST /webhooks" }, _exported.Names);
        Assert.All(_exported.Spans, s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.Equal(0, _processor.BufferedSpans);
    }

    [Fact]
    public void AFailingRoot_KeepsTheSpansThatWaitedForIt()
    {
        Start(ratio: 0);

        var root = _source.StartActivity("workflow validate", ActivityKind.Consumer, Remote(HighTraceId))!;
        _source.StartActivity("step checkout")!.Stop();
        _source.StartActivity("step validate")!.Stop();
        Assert.Empty(_exported.Spans);
        Assert.Equal(2, _processor.BufferedSpans);

        root.SetStatus(ActivityStatusCode.Error);
        root.Stop();

        Assert.Equal(new[] { "step checkout", "step validate", "workflow validate" }, _exported.Names);
    }

    [Theory]
    [InlineData(1.0, true)]
    [InlineData(0.0, false)]
    public void AnOrdinaryTrace_IsExportedAtRatioOne_AndDroppedAtRatioZero(double ratio, bool exported)
    {
        Start(ratio);

        var root = _source.StartActivity("POST /webhooks", ActivityKind.Server, Remote(LowTraceId))!;
        _source.StartActivity("store")!.Stop();
        root.SetTag("http.response.status_code", 200);
        root.Stop();

        string[] expected = exported ? ["store", "POST /webhooks"] : [];
        Assert.Equal(expected, _exported.Names);
        Assert.Equal(0, _processor.BufferedSpans);
    }

    [Fact]
    public void TheRatio_ChoosesByTraceId_SoEveryProcessKeepsTheSameTraces()
    {
        Start(ratio: 0.5);

        foreach (var traceId in new[] { LowTraceId, HighTraceId })
        {
            var root = _source.StartActivity("root " + traceId[..2], ActivityKind.Server, Remote(traceId))!;
            _source.StartActivity("child " + traceId[..2])!.Stop();
            root.Stop();
        }

        Assert.Equal(new[] { "child 00", "root 00" }, _exported.Names);
        var ratio = new TraceIdRatio(0.5);
        Assert.True(ratio.Includes(ActivityTraceId.CreateFromString(LowTraceId)));
        Assert.False(ratio.Includes(ActivityTraceId.CreateFromString(HighTraceId)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TraceIdRatio(1.5));
    }

    [Fact]
    public void ASpanEndingAfterItsDroppedRoot_IsDroppedAndNotHeld()
    {
        Start(ratio: 0);

        var root = _source.StartActivity("POST /webhooks", ActivityKind.Server, Remote(HighTraceId))!;
        var late = _source.StartActivity("notify")!;
        Activity.Current = root;
        root.Stop();
        late.Stop();

        Assert.Empty(_exported.Spans);
        Assert.Equal(0, _processor.BufferedSpans);
    }

    [Fact]
    public void TheBuffer_IsBounded_DroppingTheOldestWaitingTrace_AndCountingIt()
    {
        Start(ratio: 0, maxBufferedSpans: 4);
        long evicted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "sfp.telemetry.spans.evicted")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref evicted, value));
        listener.Start();

        // Three long traces, two finished spans each, all waiting for their roots: six spans for four places.
        var roots = new List<Activity>();
        for (var i = 0; i < 3; i++)
        {
            Activity.Current = null;
            var root = _source.StartActivity($"run {i}", ActivityKind.Consumer, Remote(HighTraceId[..^1] + i))!;
            roots.Add(root);
            _source.StartActivity($"run {i} step a")!.Stop();
            _source.StartActivity($"run {i} step b")!.Stop();
        }

        Assert.Equal(2, Interlocked.Read(ref evicted));
        Assert.True(_processor.BufferedSpans <= 4, $"{_processor.BufferedSpans} spans held");

        // The oldest trace fails now: what it still had is gone, what follows is exported; the others stay whole.
        Activity.Current = roots[0];
        var failing = _source.StartActivity("run 0 step c")!;
        failing.SetStatus(ActivityStatusCode.Error);
        failing.Stop();
        roots[0].Stop();
        Activity.Current = roots[2];
        var failing2 = _source.StartActivity("run 2 step c")!;
        failing2.SetStatus(ActivityStatusCode.Error);
        failing2.Stop();

        Assert.Equal(new[] { "run 0 step c", "run 0", "run 2 step a", "run 2 step b", "run 2 step c" }, _exported.Names);
    }

    private void Start(double ratio, int maxBufferedSpans = 1024)
    {
        _processor = new FailureKeepingTraceProcessor(_exported, new TraceIdRatio(ratio), maxBufferedSpans);
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(_source.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(_processor)
            .Build();
    }

    private static ActivityContext Remote(string traceId) =>
        new(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

    public void Dispose()
    {
        Activity.Current = null;
        _provider?.Dispose();
        _source.Dispose();
    }

    /// <summary>What reached the exporter's place in the pipeline, in order.</summary>
    private sealed class Exported : BaseProcessor<Activity>
    {
        private readonly ConcurrentQueue<Activity> _spans = new();

        public IReadOnlyList<Activity> Spans => [.. _spans];

        public IReadOnlyList<string> Names => [.. _spans.Select(s => s.DisplayName)];

        public override void OnEnd(Activity data) => _spans.Enqueue(data);
    }
}
