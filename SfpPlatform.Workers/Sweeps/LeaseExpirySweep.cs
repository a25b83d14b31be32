using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Core.Workflows.Schedules;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Sweeps;

/// <summary>
/// The <c>lease-expiry</c> sweep: releases review-environment leases past their expiry and tells each pull request on
/// it, through the repository connection the review-environment workflows comment with (the lease's run input says
/// which repository and project). A pull request is told once: the lease records when (a pass that fails to comment
/// leaves it for the next), and a pass skips a lease another pass is reporting at that moment. Leases that expired more
/// than <see cref="ReportWindow"/> ago are not reported any more.
/// </summary>
internal sealed class LeaseExpirySweep(ReviewEnvironmentLeases leases, SfpDbContext db, IServiceProvider services, TimeProvider time) : IPlatformSweep
{
    public const string SweepName = "lease-expiry";

    public const string Caller = "sweep:lease-expiry";

    public static readonly TimeSpan ReportWindow = TimeSpan.FromDays(3);

    private const int Limit = 100;

    public string Name => SweepName;

    public string DefaultCron => "*/5 * * * *";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var expired = await leases.ExpiredUnreportedAsync(time.GetUtcNow() - ReportWindow, Limit, cancellationToken);
        int told = 0, untold = 0;
        var problems = new List<string>();
        foreach (var lease in expired)
        {
            var input = await RunInputAsync(lease.RunId, cancellationToken);
            if (input is null)
            {
                // The run that leased it was purged (or never recorded an event): there is no pull request to reach.
                if (await leases.ReportExpiryAsync(lease, _ => Task.CompletedTask, cancellationToken))
                {
                    untold++;
                }

                continue;
            }

            try
            {
                // Another pass reporting the same lease right now: it tells the pull request, this one does not.
                if (await leases.ReportExpiryAsync(lease, async ct =>
                    {
                        var repository = await RepositoryConnection.ConnectAsync(input, Caller, services, ct);
                        await repository.CommentAsync(lease.PullRequest,
                            $"⌛ The lease of review environment `{lease.Org}` expired at {lease.ExpiresAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}; "
                            + "the org went back to the pool. `/sfp review-env` leases one again.", ct);
                    }, cancellationToken))
                {
                    told++;
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                problems.Add($"{lease.Repository}#{lease.PullRequest}: {e.Message}");
            }
        }

        return $"{expired.Count} expired lease(s): {told} pull request(s) told, {untold} without a run to report to"
            + (problems.Count == 0 ? "" : $", {problems.Count} to retry ({string.Join("; ", problems)})");
    }

    private async Task<RunInput?> RunInputAsync(Guid? runId, CancellationToken cancellationToken)
    {
        if (runId is null)
        {
            return null;
        }

        var input = await db.Set<WorkflowRun>().AsNoTracking().Where(r => r.Id == runId).Select(r => r.Input).SingleOrDefaultAsync(cancellationToken);
        try
        {
            return input?.RootElement.Deserialize<RunInput>(RunInput.JsonOptions) is { Event.PullRequest: not null } parsed ? parsed : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
