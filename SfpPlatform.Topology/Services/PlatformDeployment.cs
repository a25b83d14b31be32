namespace SfpPlatform.Topology.Services;

/// <summary>
/// The whole description: what the edge exposes (<see cref="PlatformTopology"/>) and every service's runtime contract.
/// The platform's own services are added by <c>SfpPlatform.Core.Deployment.PlatformServices</c>, where their options
/// classes are, so their keys come from <c>nameof</c>.
/// </summary>
public sealed record PlatformDeployment(PlatformTopology Topology, IReadOnlyList<ServiceContract> Services)
{
    public ServiceContract Service(string name) =>
        Services.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"No service '{name}' is described.");

    public IEnumerable<ServiceContract> ServicesIn(Runtimes runtime) => Services.Where(s => (s.In & runtime) != 0);

    /// <summary>Every operator variable the compose file reads, in a stable order.</summary>
    public IReadOnlyList<OperatorVariable> ComposeVariables()
    {
        var found = new List<OperatorVariable>
        {
            OperatorVariables.Version, OperatorVariables.ImageRegistry, OperatorVariables.TlsMode, OperatorVariables.CertificateDirectory,
        };
        foreach (var value in ServicesIn(Runtimes.Compose).SelectMany(s => s.EnvironmentIn(Runtimes.Compose)).SelectMany(e => Production(e.Value)))
        {
            switch (value)
            {
                case SettingValue.Variable v:
                    found.Add(v.Of);
                    break;
                case SettingValue.PublicUrl:
                    found.Add(OperatorVariables.PublicHost);
                    break;
                case SettingValue.AdminUrl or SettingValue.AdminHost:
                    found.Add(OperatorVariables.AdminHost);
                    break;
                case SettingValue.ConnectionString:
                    found.Add(OperatorVariables.PostgresPassword);
                    break;
            }
        }

        return [.. found.Distinct()];
    }

    /// <summary>The parts of a value that production uses (the production side of <see cref="SettingValue.PerRuntime"/>).</summary>
    internal static IEnumerable<SettingValue> Production(SettingValue value) => value switch
    {
        SettingValue.PerRuntime both => Production(both.Production),
        SettingValue.Concat concat => concat.Parts.SelectMany(Production),
        _ => [value],
    };
}
