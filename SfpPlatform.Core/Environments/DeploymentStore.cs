using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Environments;

/// <summary>
/// The one owner of the environment tables (<c>environments</c>, <c>releases</c>, <c>deployments</c>,
/// <c>deployment_events</c>): environments and releases, deployment requests (each carried by a run of the deploy
/// workflow), the lock queue, decisions, unlocks and outcomes — each change with its event (who, when). Lock changes
/// serialise on the environment's row (<c>FOR UPDATE</c>); a unique index allows one lock holder per environment.
/// </summary>
public sealed partial class DeploymentStore(SfpDbContext db, WorkflowRunStore runs, TimeProvider time)
{
    /// <summary>The workflow that carries a deployment.</summary>
    public const string Workflow = WorkflowNames.Deploy;

    /// <summary>The member of a deploy run's input naming its deployment.</summary>
    public const string DeploymentIdMember = "deploymentId";

    public IQueryable<DeploymentEnvironment> Environments => db.Set<DeploymentEnvironment>().AsNoTracking();

    public IQueryable<Release> Releases => db.Set<Release>().AsNoTracking();

    public IQueryable<Deployment> Deployments => db.Set<Deployment>().AsNoTracking();

    public IQueryable<DeploymentEvent> Events => db.Set<DeploymentEvent>().AsNoTracking();

    public Task<DeploymentEnvironment?> EnvironmentAsync(string projectKey, string name, CancellationToken cancellationToken) =>
        Environments.SingleOrDefaultAsync(e => e.ProjectKey == projectKey && e.Name == name, cancellationToken);

    /// <summary>Adds or replaces an environment (by project and name); returns it and whether it was new.</summary>
    public async Task<(DeploymentEnvironment Environment, bool Created)> SaveEnvironmentAsync(DeploymentEnvironment environment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var existing = await db.Set<DeploymentEnvironment>()
            .SingleOrDefaultAsync(e => e.ProjectKey == environment.ProjectKey && e.Name == environment.Name, cancellationToken);
        if (existing is null)
        {
            environment.Id = Guid.CreateVersion7();
            environment.CreatedAt = environment.UpdatedAt = now;
            db.Add(environment);
            await db.SaveChangesAsync(cancellationToken);
            return (environment, true);
        }

        existing.SalesforceIntegration = environment.SalesforceIntegration;
        existing.Branch = environment.Branch;
        existing.PromotionOrder = environment.PromotionOrder;
        existing.RequiredApprovals = environment.RequiredApprovals;
        existing.Approvers = environment.Approvers;
        existing.WaitTimerMinutes = environment.WaitTimerMinutes;
        existing.AllowedBranches = environment.AllowedBranches;
        existing.LockTimeoutMinutes = environment.LockTimeoutMinutes;
        existing.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return (existing, false);
    }

    /// <summary>Deletes an environment that has no deployments; false when it has some (their history stays).</summary>
    public async Task<bool?> DeleteEnvironmentAsync(string projectKey, string name, CancellationToken cancellationToken)
    {
        var environment = await EnvironmentAsync(projectKey, name, cancellationToken);
        if (environment is null)
        {
            return null;
        }

        if (await Deployments.AnyAsync(d => d.EnvironmentId == environment.Id, cancellationToken))
        {
            return false;
        }

        await db.Set<DeploymentEnvironment>().Where(e => e.Id == environment.Id).ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    /// <summary>Records a release; null when the project already has one of that name (releases are immutable).</summary>
    public async Task<Release?> AddReleaseAsync(
        string projectKey, string name, IReadOnlyList<ReleaseArtifact> artifacts, string source, string createdBy,
        Guid? buildRunId, string? branch, string? sha, JsonNode? origin, CancellationToken cancellationToken)
    {
        var release = new Release
        {
            Id = Guid.CreateVersion7(),
            ProjectKey = projectKey,
            Name = name,
            Artifacts = JsonSerializer.SerializeToDocument(artifacts, JsonOptions),
            Definition = ReleaseDefinition.Write(name, artifacts),
            Source = source,
            CreatedBy = createdBy,
            BuildRunId = buildRunId,
            Branch = branch,
            Sha = sha,
            Origin = origin is null ? null : JsonDocument.Parse(origin.ToJsonString()),
            CreatedAt = time.GetUtcNow(),
        };
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO releases (id, project_key, name, artifacts, definition, source, build_run_id, branch, sha, origin, created_by, created_at)
            VALUES ({release.Id}, {projectKey}, {name}, CAST({release.Artifacts.RootElement.GetRawText()} AS jsonb), {release.Definition}, {source},
                    {buildRunId}, {branch}, {sha}, CAST({origin?.ToJsonString()} AS jsonb), {createdBy}, {release.CreatedAt})
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        return inserted == 1 ? release : null;
    }

    public static IReadOnlyList<ReleaseArtifact> ArtifactsOf(Release release) =>
        release.Artifacts.Deserialize<List<ReleaseArtifact>>(JsonOptions) ?? [];

    /// <summary>The release last deployed successfully to the environment, if any.</summary>
    public async Task<Release?> CurrentReleaseAsync(Guid environmentId, CancellationToken cancellationToken)
    {
        var releaseId = await Deployments.Where(d => d.EnvironmentId == environmentId && d.Status == DeploymentStatuses.Succeeded)
            .OrderByDescending(d => d.FinishedAt).ThenByDescending(d => d.Sequence).Select(d => (Guid?)d.ReleaseId).FirstOrDefaultAsync(cancellationToken);
        return releaseId is null ? null : await Releases.SingleAsync(r => r.Id == releaseId, cancellationToken);
    }

    /// <summary>
    /// Requests a deployment of <paramref name="release"/> to <paramref name="environment"/>: the deployment (at the end
    /// of the lock queue), its event and the deploy run that carries it, in one transaction.
    /// </summary>
    public async Task<Deployment> RequestAsync(
        DeploymentEnvironment environment, Release release, string requestedBy, string via, JsonObject origin,
        IWorkflowEngine engine, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        origin[DeploymentIdMember] = id.ToString();
        var e = origin["event"];
        var deployment = new Deployment
        {
            Id = id,
            ProjectKey = environment.ProjectKey,
            EnvironmentId = environment.Id,
            EnvironmentName = environment.Name,
            ReleaseId = release.Id,
            ReleaseName = release.Name,
            Status = DeploymentStatuses.Queued,
            RequestedBy = requestedBy,
            RequestedVia = via,
            RequiredApprovals = environment.RequiredApprovals,
            Origin = JsonDocument.Parse(origin.ToJsonString()),
            Provider = e?["provider"]?.GetValue<string>(),
            Repository = e?["repository"]?["fullName"]?.GetValue<string>(),
            PullRequest = e?["pullRequest"]?["number"]?.GetValue<long>(),
            Sha = release.Sha ?? e?["sha"]?.GetValue<string>(),
            CreatedAt = time.GetUtcNow(),
        };

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Add(deployment);
            AddEvent(deployment, DeploymentEventKinds.Requested, requestedBy, $"{release.Name} via {via}");
            await db.SaveChangesAsync(cancellationToken);
            deployment.RunId = await engine.TriggerAsync(new WorkflowTrigger(Workflow, JsonSerializer.SerializeToElement(origin))
            {
                ProjectKey = environment.ProjectKey,
                IdempotencyKey = $"deploy:{id}",
            }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            runs.WakeWorkers();
            db.ChangeTracker.Clear();
            return deployment;
        });
    }

    public Task<Deployment?> FindAsync(Guid deploymentId, CancellationToken cancellationToken) =>
        Deployments.SingleOrDefaultAsync(d => d.Id == deploymentId, cancellationToken);

    /// <summary>The environment's deployments that have not ended, in queue order (the lock holder first).</summary>
    public async Task<IReadOnlyList<Deployment>> QueueAsync(Guid environmentId, CancellationToken cancellationToken) =>
        [.. (await Deployments.Where(d => d.EnvironmentId == environmentId && DeploymentStatuses.Active.Contains(d.Status))
            .OrderBy(d => d.Sequence).ToListAsync(cancellationToken))
            .OrderBy(d => d.LockAcquiredAt is not null && d.LockReleasedAt is null ? 0 : 1).ThenBy(d => d.Sequence)];

    private void AddEvent(Deployment deployment, string kind, string actor, string? detail) =>
        db.Add(new DeploymentEvent
        {
            DeploymentId = deployment.Id,
            ProjectKey = deployment.ProjectKey,
            EnvironmentName = deployment.EnvironmentName,
            Kind = kind,
            Actor = actor,
            Detail = detail is null ? null : WorkflowRunStore.Clip(detail),
            At = time.GetUtcNow(),
        });

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
