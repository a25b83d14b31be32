using Scalar.AspNetCore;
using SfpPlatform.Api.Apis;
using SfpPlatform.Api.Audit;
using SfpPlatform.Api.Auth;
using SfpPlatform.Api.Credentials;
using SfpPlatform.Api.Environments;
using SfpPlatform.Api.Extensions;
using SfpPlatform.Api.Integrations;
using SfpPlatform.Api.Schedules;
using SfpPlatform.Api.Webhooks;
using SfpPlatform.Api.Webhooks.Recovery;
using SfpPlatform.Api.Workflows;
using SfpPlatform.Core.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

if (CredentialCommands.IsCommand(args))
{
    return await CredentialCommands.RunAsync(app);
}

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapOpenApi("/sfp/api/openapi/{documentName}.json");
app.MapPlatformHealthApi();
app.MapIntegrationsApi();
app.MapWebhookReceivers();
app.MapDeliveriesApi();
app.MapDeliveryRecoveryApi();
app.MapRoutingRulesApi();
app.MapRunsApi();
app.MapAuditApi();
app.MapStatsApi();
app.MapEnvironmentsApi();
app.MapSchedulesApi();
if (app.Environment.IsDevelopment())
{
    app.MapScalarApiReference("/sfp/api/reference", o => o.WithOpenApiRoutePattern("/sfp/api/openapi/{documentName}.json"));
    app.MapDevelopmentTokenIssuer();
}

// Every options class is checked (all failures at once, each naming its key) before the schema is touched: a
// misconfigured Api stops without migrating. The Api owns the schema: migrate before serving so no request meets an old schema.
app.ValidateOptionsNow();
await DatabaseMigrator.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);

await app.RunAsync();
return 0;
