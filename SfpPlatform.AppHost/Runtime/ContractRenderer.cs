using System.Globalization;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.AppHost.Runtime;

/// <summary>
/// Renders the service contracts (<see cref="PlatformDeployment"/>) into Aspire resources for one runtime: the same
/// images, ports, environment, volumes, health checks and waits that <c>deploy/compose.yaml</c> is rendered from.
/// Values become parameters (operator variables), endpoint references (another service, as the consumer reaches it)
/// and connection strings; what production says with host names, the AppHost says with <c>localhost</c> and the edge.
/// </summary>
internal sealed class ContractRenderer(IDistributedApplicationBuilder builder, PlatformDeployment deployment, Runtimes runtime)
{
    private readonly Dictionary<string, IResourceBuilder<IResource>> _resources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IResourceBuilder<ParameterResource>> _parameters = new(StringComparer.Ordinal);

    public PlatformDeployment Deployment => deployment;

    public Runtimes Runtime => runtime;

    /// <summary>The database the platform's services connect to (its resource carries the connection string).</summary>
    public IResourceBuilder<IResourceWithConnectionString>? Database { get; set; }

    /// <summary>Where the AppHost writes the files production keeps in <c>deploy/</c> (init SQL, Verdaccio's configuration).</summary>
    public string RenderedDirectory { get; init; } = "";

    public void Register(string service, IResourceBuilder<IResource> resource) => _resources[service] = resource;

    public IResourceBuilder<IResource>? Find(string service) => _resources.GetValueOrDefault(service);

    public T Resource<T>(string service) where T : IResource =>
        _resources.TryGetValue(service, out var found) && found.Resource is T typed
            ? typed
            : throw new InvalidOperationException($"{service} does not run in the {runtime} runtime.");

    /// <summary>The AppHost parameter of an operator variable (generated and kept in user secrets where it can be).</summary>
    public IResourceBuilder<ParameterResource> Parameter(OperatorVariable variable)
    {
        var name = variable.Parameter ?? throw new InvalidOperationException($"{variable.Name} has no AppHost parameter.");
        if (!_parameters.TryGetValue(name, out var parameter))
        {
            parameter = variable switch
            {
                { GeneratedLength: { } length } =>
                    builder.AddParameter(name, new GenerateParameterDefault { MinLength = length, Special = false }, secret: variable.Secret, persist: true),
                // A setting with a default (not a secret): Parameters:{name} in the AppHost's configuration overrides it.
                { Secret: false, Default.Length: > 0 } => builder.AddParameter(name,
                    () => builder.Configuration[$"Parameters:{name}"] is { Length: > 0 } given ? given : variable.Default),
                _ => builder.AddParameter(name, secret: variable.Secret),
            };
            _parameters[name] = parameter;
        }

        return parameter;
    }

    /// <summary>A third-party container from its contract.</summary>
    public IResourceBuilder<ContainerResource> AddContainer(ServiceContract contract)
    {
        var container = builder.AddContainer(contract.Name, contract.Image.Repository, contract.Image.Tag)
            .WithImageRegistry(contract.Image.Registry);
        Register(contract.Name, container);
        foreach (var port in contract.Ports)
        {
            container = port.Scheme == "tcp"
                ? container.WithEndpoint(targetPort: port.Port, name: port.Name, scheme: "tcp")
                : container.WithHttpEndpoint(targetPort: port.Port, name: port.Name);
        }

        foreach (var volume in contract.Volumes)
        {
            container = volume.Kind switch
            {
                VolumeKind.Named => container.WithVolume(VolumeName(volume), volume.Target, volume.ReadOnly),
                VolumeKind.Rendered => container.WithBindMount(Path.Combine(RenderedDirectory, volume.Source), volume.Target, volume.ReadOnly),
                _ => throw new InvalidOperationException($"{contract.Name}: host mounts are for production only."),
            };
        }

        if (contract.Arguments.Count > 0)
        {
            container = container.WithArgs([.. contract.Arguments]);
        }

        if (contract.Health is { Port: { } healthPort, Path: { } path })
        {
            container = container.WithHttpHealthCheck(path, endpointName: healthPort);
        }

        WithEnvironment(container, contract, consumerIsContainer: true);
        return container;
    }

    /// <summary>The environment and waits of a contract on a resource already added.</summary>
    public void WithEnvironment<T>(IResourceBuilder<T> resource, ServiceContract contract, bool consumerIsContainer)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        foreach (var setting in contract.EnvironmentIn(runtime))
        {
            var value = Render(setting.Value, consumerIsContainer, resource);
            resource.WithEnvironment(setting.Key, value);
        }

        foreach (var dependency in contract.DependsOn)
        {
            if (dependency.Service == ServiceNames.Postgres && Database is { } database)
            {
                // The database resource is ready once Aspire created it, after the server answers.
                resource.WaitFor(database);
            }
            else if (Find(dependency.Service) is { } other)
            {
                if (dependency.Condition == DependencyCondition.Completed)
                {
                    resource.WaitForCompletion(other);
                }
                else
                {
                    resource.WaitFor(other);
                }
            }
        }
    }

    /// <summary>The named volume under the AppHost (prefixed, so it cannot collide with anything else on the machine).</summary>
    public static string VolumeName(VolumeMount volume) => "sfp-" + volume.Source;

    private ReferenceExpression Render<T>(SettingValue value, bool consumerIsContainer, IResourceBuilder<T> consumer)
        where T : IResourceWithWaitSupport
    {
        var expression = new ReferenceExpressionBuilder();
        Append(expression, value, consumerIsContainer, consumer);
        return expression.Build();
    }

    private void Append<T>(ReferenceExpressionBuilder expression, SettingValue value, bool consumerIsContainer, IResourceBuilder<T> consumer)
        where T : IResourceWithWaitSupport
    {
        switch (value)
        {
            case SettingValue.Text text:
                expression.AppendLiteral(text.Value);
                break;
            case SettingValue.Variable { Of.Parameter: not null } variable:
                expression.AppendValueProvider(Parameter(variable.Of).Resource);
                break;
            case SettingValue.Variable variable:
                expression.AppendLiteral(variable.Of.Default);
                break;
            case SettingValue.Endpoint endpoint when consumerIsContainer:
                // Containers reach each other by resource name on the AppHost's container network, as in compose.
                var port = deployment.Service(endpoint.Service).Port(endpoint.Port);
                expression.AppendLiteral(endpoint.Part switch
                {
                    EndpointPart.Url => $"{port.Scheme}://{endpoint.Service}:{Number(port.Port)}",
                    EndpointPart.HostAndPort => $"{endpoint.Service}:{Number(port.Port)}",
                    EndpointPart.Host => endpoint.Service,
                    _ => Number(port.Port),
                });
                break;
            case SettingValue.Endpoint endpoint:
                var reference = Resource<IResourceWithEndpoints>(endpoint.Service).GetEndpoint(endpoint.Port);
                expression.AppendValueProvider(reference.Property(endpoint.Part switch
                {
                    EndpointPart.Url => EndpointProperty.Url,
                    EndpointPart.HostAndPort => EndpointProperty.HostAndPort,
                    EndpointPart.Host => EndpointProperty.Host,
                    _ => EndpointProperty.TargetPort,
                }));
                break;
            case SettingValue.ConnectionString:
                var database = Database ?? throw new InvalidOperationException("No database is registered.");
                expression.AppendFormatted(database.Resource.ConnectionStringExpression);
                break;
            case SettingValue.PublicUrl url:
                expression.AppendLiteral($"http://localhost:{Number(InfrastructureExtensions.EdgePort(builder))}{url.Path}");
                break;
            case SettingValue.AdminUrl admin:
                expression.AppendLiteral($"http://localhost:{Number(InfrastructureExtensions.AdminPort(builder, deployment.Topology.AdminServices.Single(a => a.Id == admin.AdminId)))}");
                break;
            case SettingValue.AdminHost:
                expression.AppendLiteral("localhost");
                break;
            case SettingValue.PerRuntime both:
                Append(expression, both.Development, consumerIsContainer, consumer);
                break;
            case SettingValue.Concat concat:
                foreach (var part in concat.Parts)
                {
                    Append(expression, part, consumerIsContainer, consumer);
                }

                break;
            default:
                throw new InvalidOperationException($"Cannot render {value}.");
        }
    }

    private static string Number(int port) => port.ToString(CultureInfo.InvariantCulture);
}
