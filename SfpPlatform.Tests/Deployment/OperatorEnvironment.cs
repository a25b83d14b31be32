using System.Text;
using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.Tests.Deployment;

/// <summary>An operator's <c>.env</c> for the tests: every required value given, every optional one left blank.</summary>
public static class OperatorEnvironment
{
    /// <summary>The token hatchet-admin prints: a JWT whose claims name the gRPC address (compose's broadcast address).</summary>
    public static string HatchetToken(string grpcAddress = "hatchet:7077") =>
        $"{Part("""{"alg":"ES256","kid":"test"}""")}.{Part($$"""{"sub":"707d0855-80ab-4e1f-a156-f1c4546cbf52","grpc_broadcast_address":"{{grpcAddress}}","server_url":"https://admin.sfp.example.com:8443"}""")}.c2lnbmF0dXJl";

    public static Dictionary<string, string> Values(bool withHatchetToken = true)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in PlatformServices.Deployment.ComposeVariables())
        {
            values[variable.Name] = variable.Required ? Required(variable) : "";
        }

        if (withHatchetToken)
        {
            // What sfp-platform.sh writes after hatchet-admin created the token.
            values[OperatorVariables.HatchetToken.Name] = HatchetToken();
        }

        return values;
    }

    /// <summary>The same values as a <c>.env</c> file's text.</summary>
    public static string Text(IReadOnlyDictionary<string, string> values) =>
        string.Concat(values.Select(v => $"{v.Key}={v.Value}\n"));

    private static string Required(OperatorVariable variable) => variable.Name switch
    {
        "SFP_VERSION" => "1.0.0",
        "SFP_TLS_MODE" => "custom",
        "SFP_PUBLIC_HOST" => "sfp.example.com",
        "SFP_ADMIN_HOST" => "admin.sfp.example.com",
        "SFP_ADMIN_ALLOWLIST" => "203.0.113.0/24 2001:db8::/32",
        "STUDIO_PASSWORD_HASH" => Convert.ToBase64String(Encoding.UTF8.GetBytes("$2a$14$kW4lU8ZG9D0qAThhrA.DOuuUls.gMNdpRVL2Iyi8wEbYQFefvFqEW")),
        _ => new string('x', Math.Max(variable.GeneratedLength ?? 32, 32)) + variable.Name.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string Part(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
