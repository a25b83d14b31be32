using SfpPlatform.Contracts.Telemetry;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Core.Packages;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.AppHost.Runtime;

internal static class ServicesExtensions
{
    /// <summary>
    /// Adds Api, Workers and Web from their contracts (the same environment compose gives their images, rendered for
    /// this runtime), and the Edge. The Api owns the schema (it migrates before serving), so Workers wait for it; the
    /// Edge is the only resource on a fixed, well-known host port, as Caddy is in production.
    /// </summary>
    public static void AddPlatformServices(this IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        var renderer = infrastructure.Renderer;
        var api = builder.AddProject<Projects.SfpPlatform_Api>(ServiceNames.Api).AsPlatformService(renderer);
        var workers = builder.AddProject<Projects.SfpPlatform_Workers>(ServiceNames.Workers).AsPlatformService(renderer);
        var web = builder.AddProject<Projects.SfpPlatform_Web>(ServiceNames.Web).AsPlatformService(renderer);

        // Environment and waits once all three exist (Workers wait for the Api, Web reaches the Api).
        foreach (var project in new[] { api, workers, web })
        {
            renderer.WithEnvironment(project, renderer.Deployment.Service(project.Resource.Name), consumerIsContainer: false);
        }

        // The pinned sfp CLI (npm ci --prefix tools/sfp, which ./test.sh runs) for the Workers the AppHost runs as
        // processes in both runtimes (the workers image has it on PATH instead). Not installed, the Workers still start
        // and their sfp steps say how to install it.
        if (builder.ExecutionContext.IsRunMode)
        {
            workers.WithEnvironment(SfpCliOptions.BinDirectoryVariable,
                Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tools", "sfp", "node_modules", ".bin")));
        }

        var edge = builder.AddProject<Projects.SfpPlatform_Edge>(ServiceNames.Edge)
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = InfrastructureExtensions.EdgePort(builder);
                endpoint.IsProxied = false;
            })
            .WithHttpEndpoint(name: "management", env: SettingKey.Of(EdgeOptions.SectionName, nameof(EdgeOptions.ManagementPort)))
            .WithReference(api)
            .WithReference(web)
            .WaitFor(api)
            .WaitFor(web)
            .WithHttpHealthCheck("/health", endpointName: "management")
            .WithExternalHttpEndpoints()
            // The edge keeps the same traces as the services behind it (the choice is by trace id and this ratio).
            .WithEnvironment(SettingKey.Of(TelemetryOptions.SectionName, nameof(TelemetryOptions.TraceSampleRatio)),
                renderer.Parameter(PlatformServices.TraceSampleRatio));

        if (renderer.Find(ServiceNames.Auth) is { Resource: IResourceWithEndpoints } auth)
        {
            var endpoints = (IResourceBuilder<IResourceWithEndpoints>)auth;
            edge.WithReference(endpoints.GetEndpoint("http")).WaitFor(endpoints);
        }

        // Each admin service that runs gets its own allowlisted edge port (Platform:AdminPorts:{id} overrides).
        foreach (var admin in renderer.Deployment.Topology.AdminServices)
        {
            if (infrastructure.AdminServices.TryGetValue(admin.Service, out var service))
            {
                edge.WithReference(service.GetEndpoint("http"))
                    .WithEndpoint(port: InfrastructureExtensions.AdminPort(builder, admin), scheme: "http", name: $"admin-{admin.Id}",
                        env: SettingKey.Of(EdgeOptions.SectionName, nameof(EdgeOptions.AdminPorts), admin.Id), isProxied: false);
            }
        }
    }

    private static IResourceBuilder<ProjectResource> AsPlatformService(this IResourceBuilder<ProjectResource> project, ContractRenderer renderer)
    {
        renderer.Register(project.Resource.Name, project);
        var contract = renderer.Deployment.Service(project.Resource.Name);
        return project.WithDynamicHttpPort()
            .WithHttpHealthCheck(contract.Health?.Path ?? "/health");
    }

    /// <summary>
    /// Drops the port of the launch profile's URL: only the edge takes a well-known host port; every other
    /// service gets one that Aspire allocates, and is reached through the edge or service discovery.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithDynamicHttpPort(this IResourceBuilder<ProjectResource> project) =>
        project.WithEndpoint("http", endpoint => endpoint.Port = null);
}
