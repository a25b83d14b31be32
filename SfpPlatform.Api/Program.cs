using SfpPlatform.Api.Apis;
using SfpPlatform.Api.Extensions;
using SfpPlatform.Core.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

app.MapDefaultEndpoints();
app.MapPlatformHealthApi();

// The Api owns the schema: migrate before serving so no request meets an old schema.
await DatabaseMigrator.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);

await app.RunAsync();
