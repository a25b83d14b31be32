using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Environments;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Contracts.Webhooks;
using SfpPlatform.Core.Auth;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Environments;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Api.Environments;

/// <summary>
/// Environments, releases and deployments of a project (members read; owners manage, deploy and unlock): the lock
/// queue, pending approvals, what is where, a diff of two environments, history with logs, and the decisions' record.
/// </summary>
public static partial class EnvironmentsApi
{
    public static RouteGroupBuilder MapEnvironmentsApi(this IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/sfp/api/projects/{projectKey}").WithTags("Environments").RequireAuthorization(PlatformPolicies.Read);
        project.MapGet("/environments", ListAsync).WithSummary("The project's environments in promotion order, each with its current release and lock queue.");
        project.MapGet("/environments/{name}", GetAsync).WithSummary("One environment.");
        project.MapPut("/environments/{name}", SaveAsync).RequireAuthorization(PlatformPolicies.Manage).WithSummary("Creates or replaces an environment (owners).");
        project.MapDelete("/environments/{name}", DeleteAsync).RequireAuthorization(PlatformPolicies.Manage).WithSummary("Deletes an environment with no deployments (owners).");
        project.MapGet("/environments/{name}/deployments", HistoryAsync).WithSummary("The environment's deployments, newest first.");
        project.MapPost("/environments/{name}/deployments", DeployAsync).RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Deploys a release, or promotes the previous environment's release (owners).");
        project.MapPost("/environments/{name}/unlock", UnlockAsync).RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Releases the environment's lock; the holder is cancelled unless already deploying (owners).");
        project.MapGet("/diff", DiffAsync).WithSummary("The package versions of two environments (from, to) side by side.");
        project.MapGet("/releases", ReleasesAsync).WithSummary("The project's releases, newest first.");
        project.MapGet("/releases/{name}", ReleaseAsync).WithSummary("One release with its sfp release definition.");
        project.MapPost("/releases", CreateReleaseAsync).RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Records a release of package versions already in the registry (owners).");
        project.MapGet("/approvals", PendingAsync).WithSummary("Deployments waiting for approval.");
        project.MapGet("/deployment-events", EventsAsync).WithSummary("Requests, approvals, rejections, refusals, unlocks and outcomes, newest first.");

        var deployments = app.MapGroup("/sfp/api/deployments").WithTags("Environments").RequireAuthorization(PlatformPolicies.Read);
        deployments.MapGet("/{id:guid}", DeploymentAsync).WithSummary("One deployment with its log.");
        deployments.MapPost("/{id:guid}/approve", (Guid id, DecisionRequest? request, ClaimsPrincipal user, DeploymentStore store, CancellationToken ct) =>
            DecideAsync(id, approve: true, request, user, store, ct)).WithSummary("Approves a waiting deployment (not its requester; an approver of the environment).");
        deployments.MapPost("/{id:guid}/reject", (Guid id, DecisionRequest? request, ClaimsPrincipal user, DeploymentStore store, CancellationToken ct) =>
            DecideAsync(id, approve: false, request, user, store, ct)).WithSummary("Rejects a waiting deployment: its run ends without touching the org.");
        return project;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")]
    private static partial Regex RefName();

    private static string Actor(ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "unknown";

    private static string[] Roles(ClaimsPrincipal user) => [.. user.FindAll(PlatformRoles.ClaimType).Select(c => c.Value)];

    internal static async Task<IResult> ListAsync(string projectKey, DeploymentStore store, CancellationToken ct)
    {
        var environments = await store.Environments.Where(e => e.ProjectKey == projectKey).OrderBy(e => e.PromotionOrder).ThenBy(e => e.Name).ToListAsync(ct);
        var responses = new List<EnvironmentResponse>();
        foreach (var environment in environments)
        {
            responses.Add(await ResponseAsync(environment, store, ct));
        }

        return TypedResults.Ok(responses);
    }

    internal static async Task<IResult> GetAsync(string projectKey, string name, DeploymentStore store, CancellationToken ct) =>
        await store.EnvironmentAsync(projectKey, name, ct) is { } environment
            ? TypedResults.Ok(await ResponseAsync(environment, store, ct))
            : NotFound($"Project '{projectKey}' has no environment '{name}'.");

    internal static async Task<IResult> SaveAsync(
        string projectKey, string name, EnvironmentRequest request, DeploymentStore store, SfpDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EnvironmentName().IsMatch(name))
        {
            errors["name"] = ["An environment name is 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit (it is the org's alias)."];
        }

        if (string.IsNullOrWhiteSpace(request.SalesforceIntegration))
        {
            errors["salesforceIntegration"] = ["Name the Salesforce integration (salesforce-jwt or salesforce-auth-url) that signs in to the environment's org."];
        }
        else if (!await db.Integrations.AnyAsync(i => i.Name == request.SalesforceIntegration
            && (i.ProjectKey == projectKey || i.ProjectKey == null)
            && (i.Kind == IntegrationKinds.SalesforceJwt || i.Kind == IntegrationKinds.SalesforceAuthUrl), ct))
        {
            errors["salesforceIntegration"] = [$"There is no Salesforce integration named '{request.SalesforceIntegration}' for project '{projectKey}' (or global): register it under /sfp/api/integrations first."];
        }

        if (request.Branch is { } branch && !RefName().IsMatch(branch))
        {
            errors["branch"] = [$"'{branch}' is not a branch name."];
        }

        Range(errors, "promotionOrder", request.PromotionOrder, 0, 1000);
        Range(errors, "requiredApprovals", request.RequiredApprovals, 0, 10);
        Range(errors, "waitTimerMinutes", request.WaitTimerMinutes, 0, 43_200);
        Range(errors, "lockTimeoutMinutes", request.LockTimeoutMinutes, 1, 10_080);
        var approvers = request.Approvers ?? [];
        if (approvers.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 200 || (a.StartsWith("role:", StringComparison.Ordinal) && a.Length == 5)))
        {
            errors["approvers"] = ["Each approver is a user name or role:<role>, at most 200 characters."];
        }

        if (request.AllowedBranches?.FirstOrDefault(b => !RefName().IsMatch(b)) is { } badBranch)
        {
            errors["allowedBranches"] = [$"'{badBranch}' is not a branch name."];
        }

        if (request.Branch is { } mapped && request.AllowedBranches is { Count: > 0 } allowed && !allowed.Contains(mapped))
        {
            errors["branch"] = [$"The mapped branch '{mapped}' is not among the allowed source branches."];
        }

        if (request.Branch is { } taken && await store.Environments.AnyAsync(e => e.ProjectKey == projectKey && e.Branch == taken && e.Name != name, ct))
        {
            errors["branch"] = [$"Another environment of project '{projectKey}' already maps branch '{taken}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (saved, created) = await store.SaveEnvironmentAsync(new DeploymentEnvironment
        {
            ProjectKey = projectKey,
            Name = name,
            SalesforceIntegration = request.SalesforceIntegration!,
            Branch = request.Branch,
            PromotionOrder = request.PromotionOrder ?? 0,
            RequiredApprovals = request.RequiredApprovals ?? 0,
            Approvers = [.. approvers],
            WaitTimerMinutes = request.WaitTimerMinutes ?? 0,
            AllowedBranches = [.. request.AllowedBranches ?? []],
            LockTimeoutMinutes = request.LockTimeoutMinutes ?? 60,
        }, ct);
        var response = await ResponseAsync(saved, store, ct);
        return created ? TypedResults.Created($"/sfp/api/projects/{projectKey}/environments/{name}", response) : TypedResults.Ok(response);
    }

    internal static async Task<IResult> DeleteAsync(string projectKey, string name, DeploymentStore store, CancellationToken ct) =>
        await store.DeleteEnvironmentAsync(projectKey, name, ct) switch
        {
            null => NotFound($"Project '{projectKey}' has no environment '{name}'."),
            false => TypedResults.Problem(title: "The environment has deployments", detail: $"{name} has deployment history; it is kept.", statusCode: StatusCodes.Status409Conflict),
            true => TypedResults.NoContent(),
        };

    internal static async Task<IResult> HistoryAsync(string projectKey, string name, DeploymentStore store, CancellationToken ct)
    {
        if (await store.EnvironmentAsync(projectKey, name, ct) is not { } environment)
        {
            return NotFound($"Project '{projectKey}' has no environment '{name}'.");
        }

        var deployments = await store.Deployments.Where(d => d.EnvironmentId == environment.Id).OrderByDescending(d => d.Sequence).Take(200).ToListAsync(ct);
        return TypedResults.Ok(await DeploymentResponsesAsync(deployments, store, ct));
    }

    internal static async Task<IResult> DeployAsync(
        string projectKey, string name, DeployRequest? request, ClaimsPrincipal user, DeploymentStore store, IWorkflowEngine engine, CancellationToken ct)
    {
        if (await store.EnvironmentAsync(projectKey, name, ct) is not { } environment)
        {
            return NotFound($"Project '{projectKey}' has no environment '{name}'.");
        }

        try
        {
            Release release;
            if (request?.Release is { } releaseName)
            {
                release = await store.Releases.SingleOrDefaultAsync(r => r.ProjectKey == projectKey && r.Name == releaseName, ct)
                    ?? throw new DeploymentRequestException($"Project '{projectKey}' has no release '{releaseName}'.", "release");
            }
            else
            {
                release = await store.PromotionSourceAsync(environment, ct);
            }

            DeploymentStore.CheckAllowed(environment, release);
            // Reports go where the release came from (the repository its build was of).
            var origin = release.Origin is null
                ? new JsonObject { ["event"] = new JsonObject { ["provider"] = "api", ["name"] = "deploy" }, ["projectKey"] = projectKey }
                : JsonNode.Parse(release.Origin.RootElement.GetRawText())!.AsObject();
            if (origin["event"] is JsonObject e)
            {
                e.Remove("pullRequest");
                e.Remove("comment");
                e.Remove("command");
            }

            var deployment = await store.RequestAsync(environment, release, Actor(user), "api", origin, engine, ct);
            return TypedResults.Accepted($"/sfp/api/deployments/{deployment.Id}", await DeploymentResponseAsync(deployment, store, ct));
        }
        catch (DeploymentRequestException refused)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refused.Field] = [refused.Message] });
        }
    }

    internal static async Task<IResult> UnlockAsync(string projectKey, string name, ClaimsPrincipal user, DeploymentStore store, CancellationToken ct)
    {
        if (await store.EnvironmentAsync(projectKey, name, ct) is not { } environment)
        {
            return NotFound($"Project '{projectKey}' has no environment '{name}'.");
        }

        return await store.UnlockAsync(environment, Actor(user), ct) is { } holder
            ? TypedResults.Ok(await DeploymentResponseAsync(holder, store, ct))
            : TypedResults.Problem(title: "Not locked", detail: $"Nothing holds the lock of {name}.", statusCode: StatusCodes.Status409Conflict);
    }

    internal static async Task<IResult> DecideAsync(Guid id, bool approve, DecisionRequest? request, ClaimsPrincipal user, DeploymentStore store, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } deployment)
        {
            return NotFound($"There is no deployment {id}.");
        }

        var environment = await store.Environments.SingleAsync(e => e.Id == deployment.EnvironmentId, ct);
        var roles = Roles(user);
        if (environment.Approvers.Length == 0 && !roles.Contains(PlatformRoles.Owner))
        {
            return TypedResults.Problem(title: "Not an approver", detail: $"{environment.Name} names no approvers: only owners decide its deployments.", statusCode: StatusCodes.Status403Forbidden);
        }

        var result = await store.DecideAsync(id, Actor(user), roles, approve, request?.Reason, ct);
        if (!result.Accepted)
        {
            return TypedResults.Problem(title: approve ? "Approval refused" : "Rejection refused", detail: result.Message,
                statusCode: result.Deployment?.Status == DeploymentStatuses.AwaitingApproval ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict);
        }

        return TypedResults.Ok(await DeploymentResponseAsync((await store.FindAsync(id, ct))!, store, ct));
    }

    internal static async Task<IResult> DeploymentAsync(Guid id, DeploymentStore store, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } deployment
            ? TypedResults.Ok(await DeploymentResponseAsync(deployment, store, ct) with { Log = deployment.Log })
            : NotFound($"There is no deployment {id}.");

    internal static async Task<IResult> PendingAsync(string projectKey, DeploymentStore store, CancellationToken ct)
    {
        var waiting = await store.Deployments.Where(d => d.ProjectKey == projectKey && d.Status == DeploymentStatuses.AwaitingApproval)
            .OrderBy(d => d.Sequence).ToListAsync(ct);
        return TypedResults.Ok(await DeploymentResponsesAsync(waiting, store, ct));
    }

    internal static async Task<IResult> EventsAsync(string projectKey, string? environment, DeploymentStore store, CancellationToken ct)
    {
        var query = store.Events.Where(e => e.ProjectKey == projectKey);
        if (environment is not null)
        {
            query = query.Where(e => e.EnvironmentName == environment);
        }

        return TypedResults.Ok(await query.OrderByDescending(e => e.Id).Take(500)
            .Select(e => new DeploymentEventResponse(e.Id, e.DeploymentId, e.EnvironmentName, e.Kind, e.Actor, e.Detail, e.At)).ToListAsync(ct));
    }

    internal static async Task<IResult> DiffAsync(string projectKey, string? from, string? to, DeploymentStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var source = from is null ? null : await store.EnvironmentAsync(projectKey, from, ct);
        var target = to is null ? null : await store.EnvironmentAsync(projectKey, to, ct);
        if (source is null)
        {
            errors["from"] = [$"Name an environment of project '{projectKey}'."];
        }

        if (target is null)
        {
            errors["to"] = [$"Name an environment of project '{projectKey}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var left = await store.CurrentReleaseAsync(source!.Id, ct);
        var right = await store.CurrentReleaseAsync(target!.Id, ct);
        var leftVersions = (left is null ? [] : DeploymentStore.ArtifactsOf(left)).ToDictionary(a => a.Package, a => a.Version);
        var rightVersions = (right is null ? [] : DeploymentStore.ArtifactsOf(right)).ToDictionary(a => a.Package, a => a.Version);
        var packages = leftVersions.Keys.Union(rightVersions.Keys).Order(StringComparer.Ordinal)
            .Select(p => new PackageVersionDiff(p, leftVersions.GetValueOrDefault(p), rightVersions.GetValueOrDefault(p),
                leftVersions.GetValueOrDefault(p) != rightVersions.GetValueOrDefault(p)))
            .ToList();
        return TypedResults.Ok(new EnvironmentDiff(source.Name, target.Name, left?.Name, right?.Name, packages));
    }

    internal static async Task<IResult> ReleasesAsync(string projectKey, DeploymentStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.Releases.Where(r => r.ProjectKey == projectKey).OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(ct))
            .Select(ReleaseResponseOf).ToList());

    internal static async Task<IResult> ReleaseAsync(string projectKey, string name, DeploymentStore store, CancellationToken ct) =>
        await store.Releases.SingleOrDefaultAsync(r => r.ProjectKey == projectKey && r.Name == name, ct) is { } release
            ? TypedResults.Ok(ReleaseResponseOf(release))
            : NotFound($"Project '{projectKey}' has no release '{name}'.");

    internal static async Task<IResult> CreateReleaseAsync(
        string projectKey, CreateReleaseRequest request, ClaimsPrincipal user, DeploymentStore store, PackageRegistry registry, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not { } name || !RefName().IsMatch(name))
        {
            errors["name"] = ["A release name is 1-200 letters, digits, '.', '_', '-' or '/', starting with a letter or digit."];
        }

        if (request.Artifacts is not { Count: > 0 } items)
        {
            errors["artifacts"] = ["A release names at least one package version."];
            return TypedResults.ValidationProblem(errors);
        }

        var artifacts = new List<ReleaseArtifact>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrWhiteSpace(item.Package) || string.IsNullOrWhiteSpace(item.Version))
            {
                errors[$"artifacts[{i}]"] = ["Each artifact names its package and version."];
                continue;
            }

            var npmName = SfpArtifact.NpmName(projectKey, item.Package);
            if (item.NpmName is { } given && given != npmName)
            {
                errors[$"artifacts[{i}].npmName"] = [$"The package '{item.Package}' of project '{projectKey}' is published as {npmName}."];
                continue;
            }

            try
            {
                var versions = await registry.VersionsAsync(npmName, ct);
                if (!versions.Contains(item.Version, StringComparer.Ordinal))
                {
                    errors[$"artifacts[{i}].version"] = [versions.Count == 0
                        ? $"The registry has no {npmName}."
                        : $"The registry has no {npmName}@{item.Version}; it has {string.Join(", ", versions.TakeLast(10))}."];
                    continue;
                }
            }
            catch (PackageRegistryException e)
            {
                return TypedResults.Problem(title: "The package registry could not be read", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            artifacts.Add(new ReleaseArtifact(item.Package, npmName, item.Version));
        }

        if (artifacts.GroupBy(a => a.Package, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            errors["artifacts"] = [$"The package '{twice.Key}' is named twice."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var release = await store.AddReleaseAsync(projectKey, request.Name!, artifacts, "manual", Actor(user), null, null, null, null, ct);
        return release is null
            ? TypedResults.Problem(title: "The release exists", detail: $"Project '{projectKey}' already has a release '{request.Name}'; releases are immutable.", statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Created($"/sfp/api/projects/{projectKey}/releases/{release.Name}", ReleaseResponseOf(release));
    }

    private static void Range(Dictionary<string, string[]> errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors[field] = [$"{field} is between {min} and {max}."];
        }
    }

    private static IResult NotFound(string detail) => TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    private static ReleaseResponse ReleaseResponseOf(Release release) => new(
        release.Id, release.ProjectKey, release.Name, release.Source, release.Branch, release.Sha,
        [.. DeploymentStore.ArtifactsOf(release).Select(a => new ReleaseArtifactItem(a.Package, a.NpmName, a.Version))],
        release.Definition, release.CreatedBy, release.CreatedAt);

    private static async Task<EnvironmentResponse> ResponseAsync(DeploymentEnvironment environment, DeploymentStore store, CancellationToken ct)
    {
        var current = await store.CurrentReleaseAsync(environment.Id, ct);
        var queue = await store.QueueAsync(environment.Id, ct);
        return new EnvironmentResponse(environment.Id, environment.ProjectKey, environment.Name, environment.SalesforceIntegration, environment.Branch,
            environment.PromotionOrder, environment.RequiredApprovals, environment.Approvers, environment.WaitTimerMinutes, environment.AllowedBranches,
            environment.LockTimeoutMinutes, current is null ? null : ReleaseResponseOf(current), await DeploymentResponsesAsync(queue, store, ct));
    }

    private static async Task<List<DeploymentResponse>> DeploymentResponsesAsync(IReadOnlyList<Deployment> deployments, DeploymentStore store, CancellationToken ct)
    {
        var responses = new List<DeploymentResponse>();
        foreach (var deployment in deployments)
        {
            responses.Add(await DeploymentResponseAsync(deployment, store, ct));
        }

        return responses;
    }

    private static async Task<DeploymentResponse> DeploymentResponseAsync(Deployment d, DeploymentStore store, CancellationToken ct)
    {
        int? position = null;
        if (!DeploymentStatuses.IsFinished(d.Status))
        {
            var queue = await store.QueueAsync(d.EnvironmentId, ct);
            position = queue.ToList().FindIndex(q => q.Id == d.Id) + 1;
        }

        return new DeploymentResponse(d.Id, d.ProjectKey, d.EnvironmentName, d.ReleaseName, d.Status, d.RequestedBy, d.RequestedVia, d.RequiredApprovals,
            await store.ApproversAsync(d.Id, ct), position, d.RunId, d.Repository, d.PullRequest, d.CreatedAt, d.LockAcquiredAt, d.LockExpiresAt,
            d.StartedAt, d.FinishedAt, d.Error);
    }
}
