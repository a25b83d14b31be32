using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Topology;

namespace SfpPlatform.AppHost.Runtime;

internal static class ServicesExtensions
{
    /// <summary>
    /// Adds Api, Workers, Web and the Edge. The Api owns the schema (it migrates before serving), so Workers wait
    /// for it; the Edge is the only resource on a fixed, well-known host port, as Caddy is in production.
    /// </summary>
    public static void AddPlatformServices(this IDistributedApplicationBuilder builder, PlatformInfrastructure infrastructure)
    {
        // The pgcrypto key for provider credentials: generated once and kept in the AppHost's user secrets.
        var credentialsKey = builder.AddParameter("credentials-key", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

        var api = builder.AddProject<Projects.SfpPlatform_Api>(ServiceNames.Api)
            .WithReference(infrastructure.Database, ServiceNames.Database)
            .WaitFor(infrastructure.Database)
            .WithEnvironment("Auth__JwtSecret", infrastructure.JwtSecret)
            .WithCredentialsKey(credentialsKey)
            .WithEnvironment("Platform__Runtime", infrastructure.Kind.ToString().ToLowerInvariant())
            .WithDynamicHttpPort()
            .WithHttpHealthCheck("/health");

        var workers = builder.AddProject<Projects.SfpPlatform_Workers>(ServiceNames.Workers)
            .WithDynamicHttpPort()
            .WithCredentialsKey(credentialsKey)
            .WithReference(infrastructure.Database, ServiceNames.Database)
            .WithReference(infrastructure.Verdaccio.GetEndpoint("http"))
            .WithRegistryAccounts(infrastructure.RegistryAccounts)
            .WaitFor(api)
            .WaitFor(infrastructure.Verdaccio)
            .WithHttpHealthCheck("/health");

        // The pinned sfp CLI (npm ci --prefix tools/sfp, which ./test.sh runs): not installed here, the Workers still
        // start and their sfp steps say how to install it.
        if (builder.ExecutionContext.IsRunMode)
        {
            workers.WithEnvironment(SfpCliOptions.BinDirectoryVariable,
                Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tools", "sfp", "node_modules", ".bin")));
        }

        // Where Hatchet runs, the Workers relay runs to it and execute them as a Hatchet worker (plain gRPC inside the host).
        if (infrastructure.Hatchet is { } hatchet)
        {
            workers.WithEnvironment("Workflows__Engine", "hatchet")
                .WithEnvironment("Hatchet__Token", hatchet.Token)
                .WithEnvironment("Hatchet__TlsStrategy", "none")
                .WithEnvironment("Hatchet__GrpcAddress", hatchet.Container.GetEndpoint("grpc").Property(EndpointProperty.HostAndPort))
                .WaitFor(hatchet.Container);
        }

        var web = builder.AddProject<Projects.SfpPlatform_Web>(ServiceNames.Web)
            .WithDynamicHttpPort()
            .WithReference(api)
            .WithHttpHealthCheck("/health");

        var edge = builder.AddProject<Projects.SfpPlatform_Edge>(ServiceNames.Edge)
            .WithEndpoint("http", endpoint =>
            {
                endpoint.Port = InfrastructureExtensions.EdgePort(builder);
                endpoint.IsProxied = false;
            })
            .WithHttpEndpoint(name: "management", env: "Edge__ManagementPort")
            .WithReference(api)
            .WithReference(web)
            .WaitFor(api)
            .WaitFor(web)
            .WithHttpHealthCheck("/health", endpointName: "management")
            .WithExternalHttpEndpoints();

        if (infrastructure.Auth is { } auth)
        {
            edge.WithReference(auth.GetEndpoint("http")).WaitFor(auth);
            // The web app signs users in against GoTrue (server side) where it runs.
            web.WithReference(auth.GetEndpoint("http"));
        }

        // Each admin service that runs gets its own allowlisted edge port (Platform:AdminPorts:{id} overrides).
        foreach (var admin in PlatformTopology.Default.AdminServices)
        {
            if (infrastructure.AdminServices.TryGetValue(admin.Service, out var service))
            {
                var port = builder.Configuration.GetValue<int?>($"Platform:AdminPorts:{admin.Id}") ?? admin.Port;
                edge.WithReference(service.GetEndpoint("http"))
                    .WithEndpoint(port: port, scheme: "http", name: $"admin-{admin.Id}", env: $"Edge__AdminPorts__{admin.Id}", isProxied: false);
            }
        }
    }

    private static IResourceBuilder<ProjectResource> WithCredentialsKey(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<ParameterResource> key) =>
        project.WithEnvironment("Credentials__ActiveKeyId", "local")
            .WithEnvironment("Credentials__Keys__local", key);

    /// <summary>
    /// Drops the port of the launch profile's URL: only the edge takes a well-known host port; every other
    /// service gets one that Aspire allocates, and is reached through the edge or service discovery.
    /// </summary>
    private static IResourceBuilder<ProjectResource> WithDynamicHttpPort(this IResourceBuilder<ProjectResource> project) =>
        project.WithEndpoint("http", endpoint => endpoint.Port = null);
}
