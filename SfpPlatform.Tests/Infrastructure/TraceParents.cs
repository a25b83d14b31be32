namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// W3C <c>traceparent</c> headers for requests whose trace a test reads back. The services export a share of the
/// ordinary traces chosen by the first 8 bytes of the trace id (ServiceDefaults' <c>TraceIdRatio</c>), so a test picks
/// an id at either end of that range: one every ratio above 0 keeps, or one no ratio below 1 keeps.
/// </summary>
public static class TraceParents
{
    /// <summary>A trace every service exports at any sample ratio above 0.</summary>
    public static string InRatio() => Create("00000000" + "00000000");

    /// <summary>A trace no service exports for its own sake at a sample ratio below 1: only a failure keeps it.</summary>
    public static string OutsideRatio() => Create("ffffffff" + "ffffffff");

    /// <summary>The trace id of a <c>traceparent</c> header.</summary>
    public static string TraceId(string traceParent) => traceParent.Split('-')[1];

    private static string Create(string first8Bytes)
    {
        var random = Guid.NewGuid().ToString("n");
        return $"00-{first8Bytes}{random[..16]}-{random[16..]}-01";
    }
}
