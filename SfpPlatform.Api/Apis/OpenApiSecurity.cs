using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SfpPlatform.Api.Apis;

/// <summary>
/// The OpenAPI document's security: the bearer scheme (GoTrue's JWTs), required by every endpoint that authorizes, which
/// then also answers 401 (no or a bad token) and 403 (a role that is not enough); and 503 on every Api endpoint, which
/// is what each answers while the database is down. Other answers (400, 404, 409) come from the endpoints' own typed results.
/// </summary>
public static class OpenApiSecurity
{
    public const string SchemeName = "Bearer";

    public static void AddPlatformOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A GoTrue access token (aud authenticated); the platform role is app_metadata.sfp_role: owner, member or application.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            operation.Responses ??= new OpenApiResponses();
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No token, or one that is expired, wrongly signed or for another audience (a problem)." });
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token's role may not do this (a problem)." });
            }

            operation.Responses.TryAdd("503", new OpenApiResponse { Description = "The database is unavailable; nothing was done. Retry after the Retry-After header's seconds (a problem)." });
            return Task.CompletedTask;
        });
    });
}
