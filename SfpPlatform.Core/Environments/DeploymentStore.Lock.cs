using Microsoft.EntityFrameworkCore;

namespace SfpPlatform.Core.Environments;

/// <summary>Where a deployment stands in its environment's lock queue.</summary>
/// <param name="Holds">It holds the lock (now, or already).</param>
/// <param name="Position">Its place in the queue (1: next to take the lock) when it does not hold it.</param>
/// <param name="Holder">The deployment holding the lock, when another one does.</param>
/// <param name="RetryAt">When the holder's lock times out (the waiting deployment looks again then).</param>
public sealed record LockState(bool Holds, int Position, Deployment? Holder, DateTimeOffset? RetryAt);

/// <summary>The outcome of an approval or rejection.</summary>
/// <param name="Accepted">Recorded; otherwise <paramref name="Message"/> says why not.</param>
/// <param name="Decided">The deployment's approvals are complete (or it was rejected): its run was resumed.</param>
public sealed record DecisionResult(bool Accepted, bool Decided, string Message, Deployment? Deployment);

// The lock queue, decisions, unlocks and outcomes. Every change of a deployment's lock or status runs in a transaction
// that first locks the environment's row, so two deployments (or a decision and a lock timeout) never interleave.
public sealed partial class DeploymentStore
{
    /// <summary>
    /// Takes the environment's lock for the deployment when it is first in the queue and the lock is free (a lock held
    /// past its timeout is released first, its deployment cancelled unless already deploying). With the lock it waits
    /// for approvals (or is approved at once when the environment needs none). Resumes the runs of deployments whose
    /// lock expired, so they end.
    /// </summary>
    public Task<LockState> TakeLockAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        InEnvironmentAsync(deploymentId, async (deployment, environment, now) =>
        {
            var expired = await db.Set<Deployment>()
                .Where(d => d.EnvironmentId == environment.Id && d.LockAcquiredAt != null && d.LockReleasedAt == null && d.LockExpiresAt < now)
                .ToListAsync(cancellationToken);
            foreach (var holder in expired)
            {
                holder.LockReleasedAt = now;
                AddEvent(holder, DeploymentEventKinds.LockExpired, "platform", $"held since {holder.LockAcquiredAt:u}, timeout {environment.LockTimeoutMinutes} min");
                if (holder.Status != DeploymentStatuses.Deploying)
                {
                    End(holder, DeploymentStatuses.Cancelled, $"the lock of {environment.Name} timed out before it deployed", now);
                }

                await ResumeRunAsync(holder, cancellationToken);
            }

            if (deployment.LockAcquiredAt is not null && deployment.LockReleasedAt is null)
            {
                return new LockState(true, 0, null, null);
            }

            var active = await db.Set<Deployment>()
                .Where(d => d.EnvironmentId == environment.Id && d.LockAcquiredAt != null && d.LockReleasedAt == null)
                .SingleOrDefaultAsync(cancellationToken);
            var ahead = await db.Set<Deployment>()
                .CountAsync(d => d.EnvironmentId == environment.Id && d.Status == DeploymentStatuses.Queued && d.Sequence < deployment.Sequence, cancellationToken);
            if (active is not null || ahead > 0 || deployment.Status != DeploymentStatuses.Queued)
            {
                return new LockState(false, ahead + 1, active, active?.LockExpiresAt);
            }

            deployment.LockAcquiredAt = now;
            deployment.LockExpiresAt = now.AddMinutes(environment.LockTimeoutMinutes);
            if (deployment.RequiredApprovals > 0)
            {
                deployment.Status = DeploymentStatuses.AwaitingApproval;
            }
            else
            {
                Approve(deployment, environment, now);
            }

            return new LockState(true, 0, null, null);
        }, cancellationToken);

    /// <summary>
    /// Approves or rejects a deployment that waits for approval, as <paramref name="actor"/> with
    /// <paramref name="roles"/>: the requester cannot approve their own deployment; when the environment names approvers,
    /// the actor must be one of them (by name or <c>role:</c>); one approval per person. A refusal is recorded too. The
    /// decision that completes the approvals (or a rejection) resumes the deployment's run.
    /// </summary>
    public Task<DecisionResult> DecideAsync(
        Guid deploymentId, string actor, IReadOnlyCollection<string> roles, bool approve, string? reason, CancellationToken cancellationToken) =>
        InEnvironmentAsync(deploymentId, async (deployment, environment, now) =>
        {
            var verb = approve ? "approve" : "reject";
            DecisionResult Refuse(string message)
            {
                AddEvent(deployment, DeploymentEventKinds.Refused, actor, $"{verb}: {message}");
                return new DecisionResult(false, false, message, deployment);
            }

            if (deployment.Status != DeploymentStatuses.AwaitingApproval)
            {
                return new DecisionResult(false, false, $"deployment of {deployment.ReleaseName} to {deployment.EnvironmentName} is {deployment.Status}, not waiting for approval", deployment);
            }

            if (approve && string.Equals(actor, deployment.RequestedBy, StringComparison.OrdinalIgnoreCase))
            {
                return Refuse($"{actor} requested this deployment and cannot approve it");
            }

            if (environment.Approvers.Length > 0 && !IsApprover(environment, actor, roles))
            {
                return Refuse($"{actor} is not among the approvers of {environment.Name} ({string.Join(", ", environment.Approvers)})");
            }

            if (!approve)
            {
                AddEvent(deployment, DeploymentEventKinds.Rejected, actor, reason);
                End(deployment, DeploymentStatuses.Rejected, $"rejected by {actor}{(string.IsNullOrWhiteSpace(reason) ? "" : $": {reason}")}", now);
                deployment.LockReleasedAt = now;
                await ResumeRunAsync(deployment, cancellationToken);
                await WakeNextAsync(environment.Id, deployment.Id, cancellationToken);
                return new DecisionResult(true, true, $"rejected the deployment of {deployment.ReleaseName} to {deployment.EnvironmentName}", deployment);
            }

            var approvers = await ApproversAsync(deployment.Id, cancellationToken);
            if (approvers.Contains(actor, StringComparer.OrdinalIgnoreCase))
            {
                return new DecisionResult(false, false, $"{actor} has already approved this deployment", deployment);
            }

            AddEvent(deployment, DeploymentEventKinds.Approved, actor, reason);
            var count = approvers.Count + 1;
            if (count < deployment.RequiredApprovals)
            {
                return new DecisionResult(true, false, $"approved ({count} of {deployment.RequiredApprovals})", deployment);
            }

            Approve(deployment, environment, now);
            await ResumeRunAsync(deployment, cancellationToken);
            return new DecisionResult(true, true, $"approved ({count} of {deployment.RequiredApprovals}): deploying {deployment.ReleaseName} to {deployment.EnvironmentName}", deployment);
        }, cancellationToken);

    /// <summary>
    /// Releases the environment's lock as an owner: the holder is cancelled unless it is deploying (then only the lock
    /// goes), its run resumed to end, and the next in the queue woken. Null when nothing holds the lock.
    /// </summary>
    public async Task<Deployment?> UnlockAsync(DeploymentEnvironment environment, string actor, CancellationToken cancellationToken)
    {
        var holderId = await Deployments
            .Where(d => d.EnvironmentId == environment.Id && d.LockAcquiredAt != null && d.LockReleasedAt == null)
            .Select(d => (Guid?)d.Id).SingleOrDefaultAsync(cancellationToken);
        if (holderId is null)
        {
            return null;
        }

        return await InEnvironmentAsync<Deployment?>(holderId.Value, async (holder, _, now) =>
        {
            if (holder.LockAcquiredAt is null || holder.LockReleasedAt is not null)
            {
                return null;
            }

            holder.LockReleasedAt = now;
            AddEvent(holder, DeploymentEventKinds.Unlocked, actor, $"lock of {environment.Name} released");
            if (holder.Status != DeploymentStatuses.Deploying)
            {
                End(holder, DeploymentStatuses.Cancelled, $"unlocked by {actor}", now);
            }

            await ResumeRunAsync(holder, cancellationToken);
            await WakeNextAsync(environment.Id, holder.Id, cancellationToken);
            return holder;
        }, cancellationToken);
    }

    /// <summary>Moves an approved deployment whose wait timer is over to deploying; false when it is not approved (any more).</summary>
    public Task<bool> StartAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        InEnvironmentAsync(deploymentId, (deployment, _, now) =>
        {
            if (deployment.Status == DeploymentStatuses.Deploying)
            {
                return Task.FromResult(true);  // an attempt that did not finish: deploy again
            }

            if (deployment.Status != DeploymentStatuses.Approved)
            {
                return Task.FromResult(false);
            }

            deployment.Status = DeploymentStatuses.Deploying;
            deployment.StartedAt = now;
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>Records the outcome, releases the lock and wakes the next deployment in the queue.</summary>
    public Task FinishAsync(Guid deploymentId, bool succeeded, string? error, string log, CancellationToken cancellationToken) =>
        InEnvironmentAsync(deploymentId, async (deployment, environment, now) =>
        {
            if (DeploymentStatuses.IsFinished(deployment.Status))
            {
                return true;
            }

            End(deployment, succeeded ? DeploymentStatuses.Succeeded : DeploymentStatuses.Failed, error, now);
            deployment.Log = log;
            AddEvent(deployment, succeeded ? DeploymentEventKinds.Deployed : DeploymentEventKinds.Failed, deployment.RequestedBy,
                succeeded ? $"{deployment.ReleaseName} is in {environment.Name}" : error);
            if (deployment.LockReleasedAt is null)
            {
                deployment.LockReleasedAt = now;
                await WakeNextAsync(environment.Id, deployment.Id, cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>Records the provider's deployment id (a GitHub deployment) the deployment reports to.</summary>
    public Task RecordProviderDeploymentAsync(Guid deploymentId, long providerDeploymentId, CancellationToken cancellationToken) =>
        db.Set<Deployment>().Where(d => d.Id == deploymentId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ProviderDeploymentId, providerDeploymentId), cancellationToken);

    /// <summary>Who approved the deployment, in order.</summary>
    public async Task<IReadOnlyList<string>> ApproversAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        await Events.Where(e => e.DeploymentId == deploymentId && e.Kind == DeploymentEventKinds.Approved)
            .OrderBy(e => e.Id).Select(e => e.Actor).ToListAsync(cancellationToken);

    public static bool IsApprover(DeploymentEnvironment environment, string actor, IReadOnlyCollection<string> roles) =>
        environment.Approvers.Any(a => string.Equals(a, actor, StringComparison.OrdinalIgnoreCase)
            || roles.Any(r => string.Equals(a, "role:" + r, StringComparison.OrdinalIgnoreCase)));

    private static void Approve(Deployment deployment, DeploymentEnvironment environment, DateTimeOffset now)
    {
        deployment.Status = DeploymentStatuses.Approved;
        deployment.ApprovedAt = now;
        deployment.NotBefore = now.AddMinutes(environment.WaitTimerMinutes);
    }

    private static void End(Deployment deployment, string status, string? error, DateTimeOffset now)
    {
        deployment.Status = status;
        deployment.FinishedAt = now;
        deployment.Error = error is null ? null : Workflows.Runs.WorkflowRunStore.Clip(error);
    }

    private async Task ResumeRunAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        if (deployment.RunId is { } runId)
        {
            await runs.ResumeAsync(runId, cancellationToken);
        }
    }

    /// <summary>Resumes the run of the first deployment still queued behind <paramref name="after"/>, so it takes the lock.</summary>
    private async Task WakeNextAsync(Guid environmentId, Guid after, CancellationToken cancellationToken)
    {
        var next = await db.Set<Deployment>()
            .Where(d => d.EnvironmentId == environmentId && d.Status == DeploymentStatuses.Queued && d.Id != after)
            .OrderBy(d => d.Sequence).FirstOrDefaultAsync(cancellationToken);
        if (next is not null)
        {
            await ResumeRunAsync(next, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="change"/> on the deployment in a transaction holding its environment's row, and saves it.</summary>
    private async Task<T> InEnvironmentAsync<T>(
        Guid deploymentId, Func<Deployment, DeploymentEnvironment, DateTimeOffset, Task<T>> change, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var environmentId = await db.Set<Deployment>().Where(d => d.Id == deploymentId).Select(d => (Guid?)d.EnvironmentId).SingleOrDefaultAsync(cancellationToken)
                ?? throw new InvalidOperationException($"There is no deployment {deploymentId}.");
            var environment = await db.Set<DeploymentEnvironment>()
                .FromSqlInterpolated($"SELECT * FROM environments WHERE id = {environmentId} FOR UPDATE").SingleAsync(cancellationToken);
            var deployment = await db.Set<Deployment>().SingleAsync(d => d.Id == deploymentId, cancellationToken);
            var result = await change(deployment, environment, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return result;
        });
    }
}
