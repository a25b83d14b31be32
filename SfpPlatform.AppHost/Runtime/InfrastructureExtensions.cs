using SfpPlatform.AppHost.LocalProcesses;
using SfpPlatform.Core.Topology;

namespace SfpPlatform.AppHost.Runtime;

internal static class InfrastructureExtensions
{
    /// <summary>Adds Postgres, Verdaccio, the workflow engine and auth for the chosen runtime.</summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var kind = RuntimeSelection.Choose(builder.Configuration);
        var jwtSecret = builder.AddParameter("jwt-secret", new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

        var registryAccounts = VerdaccioConfiguration.AddAccounts(builder);

        return kind == RuntimeKind.Containers
            ? builder.AddContainerInfrastructure(jwtSecret, registryAccounts)
            : builder.AddLocalProcessInfrastructure(jwtSecret, registryAccounts);
    }

    private static PlatformInfrastructure AddContainerInfrastructure(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource> jwtSecret, VerdaccioConfiguration.Accounts registryAccounts)
    {
        var postgres = builder.AddPostgres(ServiceNames.Postgres)
            .WithDataVolume("sfp-postgres")
            .WithLifetime(ContainerLifetime.Persistent);
        var database = postgres.AddDatabase(ServiceNames.Database);
        var authDatabase = postgres.AddDatabase("authdb", "auth");

        // The generated configuration and htpasswd are mounted as the image's conf directory.
        var verdaccioConf = Path.Combine(LocalDataDirectory.Resolve(builder), "verdaccio-conf");
        if (builder.ExecutionContext.IsRunMode)
        {
            VerdaccioConfiguration.WriteBeforeStart(builder, verdaccioConf, registryAccounts, "/verdaccio/storage", "0.0.0.0:4873", forContainer: true);
        }

        var verdaccio = builder.AddContainer(ServiceNames.Verdaccio, "verdaccio/verdaccio", "6")
            .WithHttpEndpoint(targetPort: 4873)
            .WithBindMount(verdaccioConf, "/verdaccio/conf", isReadOnly: true)
            .WithVolume("sfp-verdaccio", "/verdaccio/storage")
            .WithHttpHealthCheck("/-/ping");

        var hatchet = builder.AddContainer(ServiceNames.Hatchet, "hatchet-dev/hatchet/hatchet-lite", "latest")
            .WithImageRegistry("ghcr.io")
            .WithHttpEndpoint(targetPort: 8888, name: "http")
            .WithEndpoint(targetPort: 7077, name: "grpc", scheme: "http")
            .WithEnvironment("DATABASE_URL", ReferenceExpression.Create(
                $"postgresql://postgres:{postgres.Resource.PasswordParameter}@{ServiceNames.Postgres}:5432/hatchet?sslmode=disable"))
            .WithEnvironment("SERVER_AUTH_COOKIE_INSECURE", "t")
            .WithEnvironment("SERVER_GRPC_INSECURE", "t")
            .WithEnvironment("SERVER_GRPC_BIND_ADDRESS", "0.0.0.0")
            .WithEnvironment("SERVER_GRPC_PORT", "7077")
            .WaitFor(postgres);

        var publicUrl = $"http://localhost:{EdgePort(builder)}";
        var auth = builder.AddContainer(ServiceNames.Auth, "supabase/gotrue", "v2.170.0")
            .WithHttpEndpoint(targetPort: 9999)
            .WithEnvironment("GOTRUE_API_HOST", "0.0.0.0")
            .WithEnvironment("PORT", "9999")
            .WithEnvironment("API_EXTERNAL_URL", publicUrl + "/auth/v1")
            .WithEnvironment("GOTRUE_SITE_URL", publicUrl)
            .WithEnvironment("GOTRUE_DB_DRIVER", "postgres")
            .WithEnvironment("DATABASE_URL", ReferenceExpression.Create(
                $"postgres://postgres:{postgres.Resource.PasswordParameter}@{ServiceNames.Postgres}:5432/auth?sslmode=disable"))
            .WithEnvironment("GOTRUE_JWT_SECRET", jwtSecret)
            .WithEnvironment("GOTRUE_JWT_AUD", "authenticated")
            .WithEnvironment("GOTRUE_JWT_EXP", "3600")
            .WithEnvironment("GOTRUE_DISABLE_SIGNUP", "false")
            .WithEnvironment("GOTRUE_MAILER_AUTOCONFIRM", "true")
            .WithHttpHealthCheck("/health")
            .WaitFor(authDatabase);

        // An API token is created in Hatchet's dashboard (Settings → API Tokens) and given here once.
        var hatchetToken = builder.AddParameter("hatchet-token", secret: true);
        return new PlatformInfrastructure(RuntimeKind.Containers, database, verdaccio, auth, jwtSecret, registryAccounts)
        {
            Hatchet = new HatchetEngine(hatchet, hatchetToken),
            AdminServices = new Dictionary<string, IResourceBuilder<IResourceWithEndpoints>>
            {
                [ServiceNames.Hatchet] = hatchet,
                [ServiceNames.Verdaccio] = verdaccio,
            },
        };
    }

    private static PlatformInfrastructure AddLocalProcessInfrastructure(
        this IDistributedApplicationBuilder builder, IResourceBuilder<ParameterResource> jwtSecret, VerdaccioConfiguration.Accounts registryAccounts)
    {
        var dataRoot = LocalDataDirectory.Resolve(builder);
        var database = builder.AddLocalPostgres(ServiceNames.Postgres, dataRoot);
        var verdaccio = builder.AddLocalVerdaccio(ServiceNames.Verdaccio, dataRoot, registryAccounts);
        return new PlatformInfrastructure(RuntimeKind.Processes, database, verdaccio, Auth: null, jwtSecret, registryAccounts)
        {
            AdminServices = new Dictionary<string, IResourceBuilder<IResourceWithEndpoints>>
            {
                [ServiceNames.Verdaccio] = verdaccio,
            },
        };
    }

    public static int EdgePort(IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetValue<int?>("Platform:EdgePort") ?? PlatformTopology.Default.EdgePort;
}
