using System.Globalization;
using Npgsql;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// Each platform service's environment as the AppHost's containers and processes models give it (the processes model
/// runs initdb), through the service's real options binding and validators, and against what compose gives it (compose
/// alone: SfpPlatform.UnitTests, Topology/Rendering/ComposeEnvironmentTests).
/// </summary>
public sealed class ServiceEnvironmentTests
{
    public static readonly TheoryData<string> PlatformServiceNames = [ServiceNames.Api, ServiceNames.Workers, ServiceNames.Web];

    private static ComposeFile Compose(Dictionary<string, string>? values = null) => ComposeFile.Load(values ?? OperatorEnvironment.Values());

    [Theory]
    [MemberData(nameof(PlatformServiceNames))]
    public async Task AppHostContainers_GiveThePlatformServiceEverythingItsValidatorsNeed_AndWhatComposeGivesIt(string service)
    {
        await using var model = await AppHostModel.CreateAsync("containers", Cancellation);
        var environment = await model.EnvironmentAsync(service);

        var problems = ServiceSettings.Problems(service, environment, hatchet: true);
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // A setting given in production and forgotten under F5 (or the other way round) shows here.
        var composeOnly = PlatformServices.Deployment.Service(service).Environment.Where(e => e.In == Runtimes.Compose).Select(e => e.Key);
        var composed = Compose().Environment(service).Keys.Except(composeOnly);
        Assert.Empty(composed.Except(environment.Keys));
    }

    [Fact]
    public async Task AppHostContainers_RunHatchetAndGoTrueAsProductionDoes()
    {
        await using var model = await AppHostModel.CreateAsync("containers", Cancellation);
        var hatchet = await model.EnvironmentAsync(ServiceNames.Hatchet);
        var auth = await model.EnvironmentAsync(ServiceNames.Auth);
        var api = await model.EnvironmentAsync(ServiceNames.Api);
        var workers = await model.EnvironmentAsync(ServiceNames.Workers);
        var grpc = model.Resource<ContainerResource>(ServiceNames.Hatchet).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "grpc");

        Assert.Equal("localhost", hatchet["SERVER_AUTH_COOKIE_DOMAIN"]);
        Assert.Equal(grpc.TargetPort?.ToString(CultureInfo.InvariantCulture), hatchet["SERVER_GRPC_PORT"]);
        Assert.Equal("t", hatchet["SERVER_GRPC_INSECURE"]);
        Assert.Contains(model.Resource<ContainerResource>(ServiceNames.Hatchet).Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Target == "/config" && m.Type == ContainerMountType.Volume);
        foreach (var client in new[] { api, workers })
        {
            // The clients run on the host: they reach the gRPC port through its host mapping, in plain text.
            Assert.Equal($"localhost:{grpc.AllocatedEndpoint!.Port}", client["Hatchet__GrpcAddress"]);
            Assert.Equal("none", client["Hatchet__TlsStrategy"]);
        }

        Assert.Equal(auth["GOTRUE_JWT_ISSUER"], api["Auth__Issuer"]);
        Assert.Equal(auth["GOTRUE_JWT_SECRET"], api["Auth__JwtSecret"]);
        Assert.Equal("authenticated", auth["GOTRUE_JWT_DEFAULT_GROUP_NAME"]);
        Assert.Contains("search_path=auth", auth["GOTRUE_DB_DATABASE_URL"], StringComparison.Ordinal);

        // The init container runs the same SQL compose mounts, before GoTrue and Hatchet.
        var init = model.Resource<ContainerResource>(ServiceNames.PostgresInit);
        Assert.Contains(init.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/init" && m.IsReadOnly
            && File.ReadAllText(Path.Combine(m.Source!, "init.sql")) == File.ReadAllText(Path.Combine(ComposeFile.DeployDirectory, "postgres", "init.sql")));
        foreach (var name in new[] { ServiceNames.Auth, ServiceNames.Hatchet, ServiceNames.Api })
        {
            Assert.Contains(model.Resources.Single(r => r.Name == name).Annotations.OfType<WaitAnnotation>(),
                w => w.Resource.Name == ServiceNames.PostgresInit && w.WaitType == WaitType.WaitForCompletion);
        }

        // Every image is the one compose pins.
        foreach (var container in model.Resources.OfType<ContainerResource>())
        {
            var image = container.Annotations.OfType<ContainerImageAnnotation>().Single();
            var contract = PlatformServices.Deployment.Service(container.Name).Image;
            Assert.Equal((contract.Registry, contract.Repository, contract.Tag), (image.Registry, image.Image, image.Tag));
        }
    }

    [Theory]
    [MemberData(nameof(PlatformServiceNames))]
    public async Task AppHostProcesses_GiveThePlatformServiceEverythingItsValidatorsNeed(string service)
    {
        await using var model = await AppHostModel.CreateAsync("processes", Cancellation);
        var environment = await model.EnvironmentAsync(service);

        var problems = ServiceSettings.Problems(service, environment, hatchet: false);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("Hatchet__", StringComparison.Ordinal));
        Assert.NotNull(new NpgsqlConnectionStringBuilder(environment.GetValueOrDefault("ConnectionStrings__sfp") ?? "").Host ?? (service == ServiceNames.Web ? "" : null));
    }
}
