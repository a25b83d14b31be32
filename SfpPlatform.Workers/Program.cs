using SfpPlatform.Workers.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Workers serve nothing but their probes.
app.MapDefaultEndpoints();

await app.RunAsync();
