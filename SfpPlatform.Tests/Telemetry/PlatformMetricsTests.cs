using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Telemetry;

namespace SfpPlatform.Tests.Telemetry;

/// <summary>The platform's instruments under the meter ServiceDefaults exports: names, units and tags as recorded.</summary>
public sealed class PlatformMetricsTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];
    private readonly string _provider = "test-" + Guid.NewGuid().ToString("n")[..8];

    public PlatformMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PlatformMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (_measurements)
        {
            _measurements.Add((instrument.Name, value, copy));
        }
    }

    private List<(string Instrument, double Value, Dictionary<string, object?> Tags)> Of(string instrument)
    {
        lock (_measurements)
        {
            return [.. _measurements.Where(m => m.Instrument == instrument)];
        }
    }

    [Fact]
    public async Task TokenCache_CountsOneMint_AndEveryLookupAsHitOrMiss()
    {
        var cache = new TokenCache<int>(new FakeTimeProvider(DateTimeOffset.UtcNow), TimeSpan.FromMinutes(5), _provider);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < 3; i++)
        {
            await cache.GetAsync(1, _ => Task.FromResult(new AccessToken("t", expires)), TestContext.Current.CancellationToken);
        }

        var mints = Of("sfp.provider.token.mints").Where(m => Equals(m.Tags[PlatformMetrics.Provider], _provider)).ToList();
        var lookups = Of("sfp.provider.token.cache.lookups").Where(m => Equals(m.Tags[PlatformMetrics.Provider], _provider)).ToList();
        Assert.Equal(1, mints.Sum(m => m.Value));
        Assert.Equal(1, lookups.Count(m => Equals(m.Tags[PlatformMetrics.CacheResult], "miss")));
        Assert.Equal(2, lookups.Count(m => Equals(m.Tags[PlatformMetrics.CacheResult], "hit")));
    }

    [Fact]
    public void RunEnded_RecordsPendingAndExecutingDurations_WithTheConventionsAttributes_AndAnErrorOnFailure()
    {
        var workflow = "wf-" + Guid.NewGuid().ToString("n")[..8];
        PlatformMetrics.RecordRunEnded(workflow, RunStatuses.Failed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

        var durations = Of("cicd.pipeline.run.duration").Where(m => Equals(m.Tags[PlatformMetrics.PipelineName], workflow)).ToList();
        Assert.Equal(2, durations.Count);
        Assert.Contains(durations, m => Equals(m.Tags[PlatformMetrics.PipelineRunState], "pending") && m.Value == 2);
        Assert.Contains(durations, m => Equals(m.Tags[PlatformMetrics.PipelineRunState], "executing") && m.Value == 30);
        Assert.All(durations, m => Assert.Equal("failure", m.Tags[PlatformMetrics.PipelineResult]));
        Assert.Single(Of("cicd.pipeline.run.errors"), m => Equals(m.Tags[PlatformMetrics.PipelineName], workflow));
    }

    [Fact]
    public void Delivery_IsCountedByProviderEventAndOutcome_AndTimed()
    {
        PlatformMetrics.RecordDelivery(_provider, "push", "routed", TimeSpan.FromMilliseconds(12));

        var counted = Assert.Single(Of("sfp.webhook.deliveries"), m => Equals(m.Tags[PlatformMetrics.Provider], _provider));
        Assert.Equal("push", counted.Tags[PlatformMetrics.Event]);
        Assert.Equal("routed", counted.Tags[PlatformMetrics.Outcome]);
        var timed = Assert.Single(Of("sfp.webhook.intake.duration"), m => Equals(m.Tags[PlatformMetrics.Provider], _provider));
        Assert.Equal(0.012, timed.Value, 6);
    }

    [Fact]
    public void QueueGauges_ReadTheLastSample_AndShowNothingBeforeOne()
    {
        PlatformMetrics.ObserveQueue(new RunQueueSnapshot(7, 3, TimeSpan.FromSeconds(42), DateTimeOffset.UtcNow));
        _listener.RecordObservableInstruments();

        Assert.Contains(Of("sfp.workflow.queue.depth"), m => m.Value == 7);
        Assert.Contains(Of("sfp.workflow.queue.oldest_age"), m => m.Value == 42);
        Assert.Contains(Of("cicd.pipeline.run.active"), m => m.Value == 3 && Equals(m.Tags[PlatformMetrics.PipelineRunState], "executing"));
    }
}
