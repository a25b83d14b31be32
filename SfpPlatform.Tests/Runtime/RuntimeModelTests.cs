using SfpPlatform.Topology;

namespace SfpPlatform.Tests.Runtime;

/// <summary>The application model each runtime declares, inspected without starting anything.</summary>
public sealed class RuntimeModelTests
{
    [Fact]
    public async Task ContainersRuntime_DeclaresInfrastructureAsContainers()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SfpPlatform_AppHost>(
            ["Platform:Runtime=containers"], Cancellation);

        var containers = builder.Resources.OfType<ContainerResource>().ToDictionary(r => r.Name);
        Assert.Equal(
            new[] { ServiceNames.Auth, "hatchet", ServiceNames.Postgres, ServiceNames.PostgresInit, ServiceNames.Verdaccio },
            containers.Keys.Order());
        Assert.DoesNotContain(builder.Resources.OfType<ExecutableResource>(), r => r is not IResourceWithParent);
        Assert.Contains(builder.Resources, r => r is PostgresDatabaseResource { DatabaseName: ServiceNames.Database });
        Assert.Equal("verdaccio/verdaccio", Image(containers[ServiceNames.Verdaccio]));
        // The generated configuration and htpasswd replace the image's, read-only.
        Assert.Contains(containers[ServiceNames.Verdaccio].Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Target == "/verdaccio/conf" && m.Type == ContainerMountType.BindMount && m.IsReadOnly);
        Assert.Equal("hatchet-dev/hatchet/hatchet-lite", Image(containers["hatchet"]));
        // The Workers run the workflows on Hatchet there, with an API token given as a secret parameter.
        Assert.Contains(builder.Resources.OfType<ParameterResource>(), p => p.Name == "hatchet-token" && p.Secret);
        Assert.Contains(WaitsFor(builder.Resources.OfType<ProjectResource>().Single(p => p.Name == ServiceNames.Workers)), name => name == "hatchet");
        Assert.Equal("supabase/gotrue", Image(containers[ServiceNames.Auth]));
        AssertServicesWired(builder);
    }

    [Fact]
    public async Task ProcessesRuntime_DeclaresNoContainers()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("sfp-model-test-").FullName;
        File.SetUnixFileMode(dataDirectory, (UnixFileMode)Convert.ToInt32("755", 8));
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SfpPlatform_AppHost>(
                ["Platform:Runtime=processes", $"Platform:DataDirectory={dataDirectory}"], Cancellation);

            Assert.Empty(builder.Resources.OfType<ContainerResource>());
            Assert.DoesNotContain(builder.Resources.OfType<ParameterResource>(), p => p.Name == "hatchet-token");
            var executables = builder.Resources.OfType<ExecutableResource>().Select(r => r.Name).ToHashSet();
            Assert.Contains(ServiceNames.Postgres, executables);
            Assert.Contains(ServiceNames.Verdaccio, executables);
            AssertServicesWired(builder);

            // initdb ran once, into the configured directory, and the password stays beside it.
            Assert.True(File.Exists(Path.Combine(dataDirectory, "postgres", "data", "PG_VERSION")));
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite,
                File.GetUnixFileMode(Path.Combine(dataDirectory, "postgres", "password")));
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static void AssertServicesWired(IDistributedApplicationTestingBuilder builder)
    {
        var projects = builder.Resources.OfType<ProjectResource>().ToDictionary(r => r.Name);
        Assert.Equal(
            new[] { ServiceNames.Api, ServiceNames.Edge, ServiceNames.Web, ServiceNames.Workers },
            projects.Keys.Order());

        // Workers start only after the Api has migrated the schema; the edge after Api and Web.
        Assert.Contains(WaitsFor(projects[ServiceNames.Workers]), name => name == ServiceNames.Api);
        Assert.Equal(new[] { ServiceNames.Api, ServiceNames.Web }, WaitsFor(projects[ServiceNames.Edge]).Where(n => n != ServiceNames.Auth).Order());

        // Only the edge has a fixed host port, and it is not behind Aspire's proxy.
        var fixedPorts = builder.Resources.OfType<ProjectResource>()
            .SelectMany(p => p.Annotations.OfType<EndpointAnnotation>().Select(e => (p.Name, e)))
            .Where(x => x.e.Port is not null)
            .ToList();
        Assert.All(fixedPorts, x => Assert.Equal(ServiceNames.Edge, x.Name));
        Assert.All(fixedPorts, x => Assert.False(x.e.IsProxied));
        Assert.Contains(fixedPorts, x => x.e.Name == "http" && x.e.Port == PlatformTopology.Default.EdgePort);
        Assert.Contains(fixedPorts, x => x.e.Name == "admin-verdaccio" && x.e.Port == 8445);
    }

    private static IEnumerable<string> WaitsFor(IResource resource) =>
        resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name);

    private static string? Image(ContainerResource container) =>
        container.Annotations.OfType<ContainerImageAnnotation>().Single().Image;
}
