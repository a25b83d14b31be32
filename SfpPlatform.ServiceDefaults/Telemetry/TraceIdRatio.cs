using System.Buffers.Binary;
using System.Diagnostics;

namespace SfpPlatform.ServiceDefaults.Telemetry;

/// <summary>
/// A share of traces chosen by trace id alone: every process that sees a trace id reaches the same answer, so a trace
/// kept by ratio is kept in the edge, the Api and the Workers alike. The first 8 bytes of the id (random for W3C ids)
/// are compared with the ratio's share of their range.
/// </summary>
public readonly struct TraceIdRatio
{
    private readonly long _bound;
    private readonly bool _all;

    public TraceIdRatio(double ratio)
    {
        if (double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A trace sample ratio is between 0 and 1.");
        }

        Ratio = ratio;
        _all = ratio >= 1;
        _bound = (long)(ratio * long.MaxValue);
    }

    public double Ratio { get; }

    /// <summary>Every trace is in the ratio (1): nothing needs to wait for a decision.</summary>
    public bool IncludesAll => _all;

    public bool Includes(ActivityTraceId traceId)
    {
        if (_all)
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        traceId.CopyTo(bytes);
        return (BinaryPrimitives.ReadInt64BigEndian(bytes) & long.MaxValue) < _bound;
    }
}
