using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.Tests.Deployment;

/// <summary>
/// The AppHost's application model for one runtime, built without starting anything: endpoints get stand-in ports so
/// every resource's environment can be resolved to the values a started resource would receive.
/// </summary>
public sealed class AppHostModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;
    private readonly TestFolder _dataDirectory;

    private AppHostModel(IDistributedApplicationTestingBuilder builder, TestFolder dataDirectory)
    {
        _builder = builder;
        _dataDirectory = dataDirectory;
    }

    public IResourceCollection Resources => _builder.Resources;

    public static async Task<AppHostModel> CreateAsync(string runtime, CancellationToken cancellationToken)
    {
        var dataDirectory = new TestFolder();
        File.SetUnixFileMode(dataDirectory.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SfpPlatform_AppHost>(
            [$"Platform:Runtime={runtime}", $"Platform:DataDirectory={dataDirectory.Path}", $"Parameters:hatchet-token={OperatorEnvironment.HatchetToken()}"],
            cancellationToken);
        var port = 40000;
        foreach (var endpoint in builder.Resources.SelectMany(r => r.Annotations.OfType<EndpointAnnotation>()))
        {
            endpoint.AllocatedEndpoint ??= new AllocatedEndpoint(endpoint, "localhost", endpoint.Port ?? port++);
        }

        return new AppHostModel(builder, dataDirectory);
    }

    public T Resource<T>(string name) where T : IResource => Resources.OfType<T>().Single(r => r.Name == name);

    /// <summary>The environment the resource would start with.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(string name)
    {
        var resource = (IResourceWithEnvironment)Resources.Single(r => r.Name == name);
        // The one-call evaluation of a resource's environment (its replacement builder is still evolving in 13.x).
#pragma warning disable CS0618
        var values = await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
        return values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _builder.DisposeAsync();
        _dataDirectory.Dispose();
    }
}
