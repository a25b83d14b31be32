using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using SfpPlatform.Api.Auth;
using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Integrations;

namespace SfpPlatform.Api.Integrations;

/// <summary>The integration API: provider credentials, stored encrypted, shown only by fingerprint.</summary>
public static class IntegrationsApi
{
    public static RouteGroupBuilder MapIntegrationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/integrations")
            .WithTags("Integrations")
            .RequireAuthorization(PlatformPolicies.Read);

        group.MapGet("/", ListAsync).WithName("ListIntegrations").WithSummary("Lists integrations (any role).");
        group.MapGet("/kinds", GetKinds).WithName("ListIntegrationKinds")
            .WithSummary("The kinds of integration: each one's settings and secret, as create requests are checked against them (any role).");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetIntegration").WithSummary("One integration; the secret only as a fingerprint.");
        group.MapPost("/", CreateAsync).WithName("CreateIntegration").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Registers a credential (owners).");
        group.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateIntegration").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Changes the name and non-secret settings (owners).");
        group.MapPost("/{id:guid}/rotate", RotateSecretAsync).WithName("RotateIntegrationSecret").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Replaces the secret (owners).");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteIntegration").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Deletes an integration (owners).");
        group.MapPost("/{id:guid}/test", TestConnectionAsync).WithName("TestIntegrationConnection").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("Checks the credential against its provider (owners).");
        return group;
    }

    internal static async Task<Ok<IntegrationResponse[]>> ListAsync(
        [AsParameters] IntegrationServices services, string? projectKey, string? kind, CancellationToken cancellationToken)
    {
        var query = services.Db.Integrations.AsNoTracking();
        if (projectKey is not null)
        {
            query = query.Where(i => i.ProjectKey == projectKey || i.ProjectKey == null);
        }

        if (kind is not null)
        {
            query = query.Where(i => i.Kind == kind);
        }

        var integrations = await query.OrderBy(i => i.ProjectKey).ThenBy(i => i.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(integrations.Select(IntegrationResponse.From).ToArray());
    }

    internal static Ok<IReadOnlyList<IntegrationKind>> GetKinds() => TypedResults.Ok(IntegrationKinds.Schema);

    internal static async Task<Results<Ok<IntegrationResponse>, NotFound<ProblemDetails>>> GetAsync(
        Guid id, [AsParameters] IntegrationServices services, CancellationToken cancellationToken)
    {
        var integration = await services.Db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        return integration is null ? NotFound(id) : TypedResults.Ok(IntegrationResponse.From(integration));
    }

    internal static async Task<Results<Created<IntegrationResponse>, ValidationProblem, Conflict<ProblemDetails>>> CreateAsync(
        CreateIntegrationRequest request, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken cancellationToken)
    {
        var validation = IntegrationValidator.Validate(
            request.Kind, request.Name, request.ProjectKey, request.Settings, request.Secret, services.Options.Value);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (ciphertext, keyId) = await services.Vault.EncryptAsync(request.Secret!, cancellationToken);
        var now = services.Time.GetUtcNow();
        var integration = new Integration
        {
            Id = Guid.CreateVersion7(),
            Kind = request.Kind!,
            Name = request.Name!.Trim(),
            ProjectKey = request.ProjectKey,
            Settings = JsonSerializer.SerializeToDocument(validation.Settings),
            SecretCiphertext = ciphertext,
            KeyId = keyId,
            SecretFingerprint = CredentialVault.Fingerprint(request.Secret!),
            CreatedAt = now,
            UpdatedAt = now,
        };
        services.Db.Integrations.Add(integration);
        services.Audit.Add(user.ToAuditActor(), AuditActions.IntegrationCreated, Target(integration.Id), detail: Describe(integration));
        if (await SaveAsync(services.Db, integration, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Created($"/sfp/api/integrations/{integration.Id}", IntegrationResponse.From(integration));
    }

    internal static async Task<Results<Ok<IntegrationResponse>, NotFound<ProblemDetails>, ValidationProblem, Conflict<ProblemDetails>>> UpdateAsync(
        Guid id, UpdateIntegrationRequest request, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken cancellationToken)
    {
        var integration = await services.Db.Integrations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (integration is null)
        {
            return NotFound(id);
        }

        var validation = IntegrationValidator.Validate(
            integration.Kind, request.Name, integration.ProjectKey, request.Settings, secret: null, services.Options.Value, checkSecret: false);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        // A setting derived from the secret (a Salesforce auth URL's instance) survives an update of the others.
        if (integration.Kind == IntegrationKinds.SalesforceAuthUrl
            && integration.Settings.RootElement.TryGetProperty("instanceUrl", out var instanceUrl))
        {
            validation.Settings["instanceUrl"] = instanceUrl.GetString();
        }

        integration.Name = request.Name!.Trim();
        integration.Settings = JsonSerializer.SerializeToDocument(validation.Settings);
        integration.UpdatedAt = services.Time.GetUtcNow();
        services.Audit.Add(user.ToAuditActor(), AuditActions.IntegrationUpdated, Target(id), detail: Describe(integration));
        if (await SaveAsync(services.Db, integration, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        return TypedResults.Ok(IntegrationResponse.From(integration));
    }

    internal static async Task<Results<Ok<IntegrationResponse>, NotFound<ProblemDetails>, ValidationProblem>> RotateSecretAsync(
        Guid id, RotateSecretRequest request, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken cancellationToken)
    {
        var integration = await services.Db.Integrations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (integration is null)
        {
            return NotFound(id);
        }

        var validation = IntegrationValidator.ValidateSecret(integration.Kind, request.Secret, services.Options.Value);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (ciphertext, keyId) = await services.Vault.EncryptAsync(request.Secret!, cancellationToken);
        integration.SecretCiphertext = ciphertext;
        integration.KeyId = keyId;
        integration.SecretFingerprint = CredentialVault.Fingerprint(request.Secret!);
        if (validation.Settings.Count > 0)
        {
            var settings = System.Text.Json.Nodes.JsonNode.Parse(integration.Settings.RootElement.GetRawText())!.AsObject();
            foreach (var (name, value) in validation.Settings)
            {
                settings[name] = value?.DeepClone();
            }

            integration.Settings = JsonSerializer.SerializeToDocument(settings);
        }

        integration.UpdatedAt = services.Time.GetUtcNow();
        // The new secret's fingerprint only: it identifies the secret without revealing it.
        services.Audit.Add(user.ToAuditActor(), AuditActions.IntegrationRotated, Target(id),
            detail: $"{Describe(integration)}; fingerprint {integration.SecretFingerprint}; key {integration.KeyId}");
        await services.Db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(IntegrationResponse.From(integration));
    }

    internal static async Task<Results<NoContent, NotFound<ProblemDetails>>> DeleteAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] IntegrationServices services, CancellationToken cancellationToken)
    {
        await using var transaction = await services.Db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await services.Db.Integrations.Where(i => i.Id == id).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0)
        {
            return NotFound(id);
        }

        await services.Audit.RecordAsync(user.ToAuditActor(), AuditActions.IntegrationDeleted, Target(id), cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<ConnectionTestResponse>, NotFound<ProblemDetails>, ProblemHttpResult>> TestConnectionAsync(
        Guid id, ClaimsPrincipal user, [AsParameters] IntegrationServices services, ConnectionTester tester, CancellationToken cancellationToken)
    {
        var integration = await services.Db.Integrations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (integration is null)
        {
            return NotFound(id);
        }

        if (integration.Kind is IntegrationKinds.GitHubWebhook or IntegrationKinds.AzureDevOpsWebhook)
        {
            return TypedResults.Problem(
                "A webhook secret is not a credential for calling the provider, so there is nothing to test here: send a test delivery from the provider (GitHub's ping or 'Redeliver', Azure DevOps' 'Test') and look for it under /sfp/api/webhooks/deliveries.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to test for a webhook integration");
        }

        string secret;
        try
        {
            secret = await services.Vault.DecryptAsync(id, "test-connection", user.Identity?.Name ?? "unknown", cancellationToken);
        }
        catch (CredentialKeyException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status500InternalServerError, title: "The secret cannot be decrypted");
        }

        var result = await tester.TestAsync(integration, secret, cancellationToken);
        await services.Audit.RecordAsync(user.ToAuditActor(), AuditActions.IntegrationTested, Target(id),
            result.Ok ? AuditOutcomes.Succeeded : AuditOutcomes.Failed, Describe(integration), cancellationToken);
        return TypedResults.Ok(result);
    }

    private static string Target(Guid id) => $"integration:{id}";

    private static string Describe(Integration integration) =>
        $"{integration.Kind} '{integration.Name}'{(integration.ProjectKey is null ? "" : $" in project {integration.ProjectKey}")}";

    private static NotFound<ProblemDetails> NotFound(Guid id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Integration not found",
        Detail = $"No integration has the id {id}.",
    });

    private static async Task<Conflict<ProblemDetails>?> SaveAsync(SfpDbContext db, Integration integration, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Name already taken",
                Detail = $"An integration named '{integration.Name}' already exists in the {(integration.ProjectKey is null ? "global scope" : $"project '{integration.ProjectKey}'")}.",
                Extensions = { ["field"] = "name" },
            });
        }
    }
}
