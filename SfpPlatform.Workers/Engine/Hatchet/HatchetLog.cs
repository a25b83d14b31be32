namespace SfpPlatform.Workers.Engine.Hatchet;

internal static partial class HatchetLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet refused the relay ({Reason}); retrying in {Backoff}")]
    public static partial void RelayRefused(ILogger logger, string reason, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet worker: {What} failed ({Reason}); retrying in {Backoff}")]
    public static partial void Retrying(ILogger logger, string what, string reason, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hatchet worker {WorkerId} ({WorkerName}) registered with {Actions} actions")]
    public static partial void Registered(ILogger logger, string workerId, string workerName, int actions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hatchet no longer knows worker {WorkerId} (its row is gone: a reset database, or a token of another tenant); registering again")]
    public static partial void WorkerGone(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hatchet worker: {What} failed for good ({Reason})")]
    public static partial void Failed(ILogger logger, string what, string reason);
}
