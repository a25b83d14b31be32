using System.ComponentModel.DataAnnotations;

namespace SfpPlatform.Contracts.Telemetry;

/// <summary>
/// How much of the services' traces is exported (section <see cref="SectionName"/>). Every trace that failed in a process
/// is exported whole whatever the ratio; <see cref="TraceSampleRatio"/> chooses the share of the ordinary ones, by trace
/// id, so the edge, the Api and the Workers keep the same traces.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The stack's default share of ordinary traces exported. Chosen from the intake benchmark (bench/README.md, "Issue 18:
    /// telemetry"): at ratio 1 the dashboard's cost grows with the span rate (0.2 core at ~240 deliveries/s), at 0.05 it
    /// stays near its floor (0.05 core), while one trace in twenty still shows the ordinary path end to end.
    /// </summary>
    public const double DefaultTraceSampleRatio = 0.05;

    /// <summary>Share (0–1) of traces without a failure that are exported; 1 exports every trace, 0 only failed ones.</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = DefaultTraceSampleRatio;

    /// <summary>
    /// Spans of unfinished, not (yet) kept traces held in memory per process until their trace's local root ends. When
    /// full the oldest trace's spans are dropped (counted in <c>sfp.telemetry.spans.evicted</c>).
    /// </summary>
    [Range(16, 1_000_000)]
    public int MaxBufferedSpans { get; set; } = 8192;
}
