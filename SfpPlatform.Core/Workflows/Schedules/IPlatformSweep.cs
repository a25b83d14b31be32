namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>
/// A piece of the platform's own maintenance that runs on a schedule (delivery recovery, lease expiry, retention).
/// Implementations are registered in DI; the scheduler runs each under its <see cref="Name"/> on
/// <see cref="DefaultCron"/> unless the operator configured another schedule. A sweep is safe to run twice and to
/// stop half-way: each pass picks up where the state in Postgres says it is.
/// </summary>
public interface IPlatformSweep
{
    /// <summary>The sweep's name, lower-case with dashes (e.g. <c>delivery-recovery</c>): its schedule's name.</summary>
    string Name { get; }

    /// <summary>Its default schedule, a five-field cron expression in UTC.</summary>
    string DefaultCron { get; }

    /// <summary>Runs one pass and says in one line what it did (shown in the run's log).</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}
