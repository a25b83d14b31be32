using SfpPlatform.AppHost.LocalProcesses;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Rendering;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.AppHost.Runtime;

internal static class InfrastructureExtensions
{
    /// <summary>
    /// Adds Postgres, Verdaccio, the workflow engine and auth for the chosen runtime, rendered from the same service
    /// contracts as <c>deploy/compose.yaml</c> (containers), or their local stand-ins (processes).
    /// </summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var kind = RuntimeSelection.Choose(builder.Configuration);
        var renderer = new ContractRenderer(builder, PlatformServices.Deployment, kind == RuntimeKind.Containers ? Runtimes.Containers : Runtimes.Processes)
        {
            RenderedDirectory = Path.Combine(LocalDataDirectory.Resolve(builder), "deploy"),
        };
        var registryAccounts = new VerdaccioConfiguration.Accounts(
            renderer.Parameter(OperatorVariables.VerdaccioPublisherPassword), renderer.Parameter(OperatorVariables.VerdaccioReaderPassword));

        return kind == RuntimeKind.Containers
            ? builder.AddContainerInfrastructure(renderer, registryAccounts)
            : builder.AddLocalProcessInfrastructure(renderer, registryAccounts);
    }

    private static PlatformInfrastructure AddContainerInfrastructure(
        this IDistributedApplicationBuilder builder, ContractRenderer renderer, VerdaccioConfiguration.Accounts registryAccounts)
    {
        var deployment = renderer.Deployment;
        var contract = deployment.Service(ServiceNames.Postgres);

        // Aspire's Postgres (connection strings, health check, database creation), on the contract's image, volume and
        // arguments; its password is the same operator variable compose reads.
        var postgres = builder.AddPostgres(ServiceNames.Postgres, password: renderer.Parameter(OperatorVariables.PostgresPassword))
            .WithImageRegistry(contract.Image.Registry)
            .WithImage(contract.Image.Repository, contract.Image.Tag)
            .WithArgs([.. contract.Arguments])
            .WithLifetime(ContainerLifetime.Persistent);
        foreach (var volume in contract.Volumes)
        {
            postgres.WithVolume(ContractRenderer.VolumeName(volume), volume.Target, volume.ReadOnly);
        }

        renderer.Register(ServiceNames.Postgres, postgres);
        renderer.Database = postgres.AddDatabase(ServiceNames.Database);

        // The files compose mounts from deploy/, rendered the same way, written under the AppHost's data directory.
        if (builder.ExecutionContext.IsRunMode)
        {
            var initDirectory = Path.Combine(renderer.RenderedDirectory, "postgres");
            Directory.CreateDirectory(initDirectory);
            File.WriteAllText(Path.Combine(initDirectory, "init.sql"), PostgresInit.Render());
            VerdaccioConfiguration.WriteBeforeStart(builder, Path.Combine(renderer.RenderedDirectory, "verdaccio"), registryAccounts,
                DeployManifest.VerdaccioConfig(deployment, "/verdaccio/storage", VerdaccioConfiguration.PublicUplink(builder)), forContainer: true);
        }

        foreach (var service in deployment.ServicesIn(Runtimes.Containers).Where(s => s.Kind == ServiceKind.Container && s.Name != ServiceNames.Postgres))
        {
            renderer.AddContainer(service);
        }

        return new PlatformInfrastructure(RuntimeKind.Containers, renderer)
        {
            AdminServices = deployment.Topology.AdminServices
                .Where(a => renderer.Find(a.Service) is not null)
                .ToDictionary(a => a.Service, a => (IResourceBuilder<IResourceWithEndpoints>)renderer.Find(a.Service)!),
        };
    }

    private static PlatformInfrastructure AddLocalProcessInfrastructure(
        this IDistributedApplicationBuilder builder, ContractRenderer renderer, VerdaccioConfiguration.Accounts registryAccounts)
    {
        var dataRoot = LocalDataDirectory.Resolve(builder);
        var database = builder.AddLocalPostgres(ServiceNames.Postgres, dataRoot);
        var verdaccio = builder.AddLocalVerdaccio(ServiceNames.Verdaccio, dataRoot, registryAccounts);
        renderer.Database = database;
        renderer.Register(ServiceNames.Postgres, database);
        renderer.Register(ServiceNames.Verdaccio, verdaccio);
        return new PlatformInfrastructure(RuntimeKind.Processes, renderer)
        {
            AdminServices = new Dictionary<string, IResourceBuilder<IResourceWithEndpoints>>
            {
                [ServiceNames.Verdaccio] = verdaccio,
            },
        };
    }

    public static int EdgePort(IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetValue<int?>("Platform:EdgePort") ?? PlatformTopology.Default.EdgePort;

    /// <summary>An admin service's edge port (<c>Platform:AdminPorts:{id}</c> overrides the topology's).</summary>
    public static int AdminPort(IDistributedApplicationBuilder builder, AdminService admin) =>
        builder.Configuration.GetValue<int?>($"Platform:AdminPorts:{admin.Id}") ?? admin.Port;
}
