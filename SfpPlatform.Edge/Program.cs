using SfpPlatform.Edge.Extensions;
using SfpPlatform.Edge.Probes;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEdgeServices();

var app = builder.Build();

app.UseInternalPathGuard();
app.MapEdgeProbes();
app.MapReverseProxy();

await app.RunAsync();
