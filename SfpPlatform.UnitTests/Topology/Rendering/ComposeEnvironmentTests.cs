using SfpPlatform.Core.Deployment;
using SfpPlatform.Tests.Deployment;
using SfpPlatform.Topology;
using SfpPlatform.Topology.Services;

namespace SfpPlatform.UnitTests.Topology.Rendering;

/// <summary>
/// Each service's environment as the rendered compose file gives it from an operator's .env, through the platform
/// services' real options binding and validators (the AppHost's models: SfpPlatform.Tests, ServiceEnvironmentTests).
/// </summary>
public sealed class ComposeEnvironmentTests
{
    public static readonly TheoryData<string> PlatformServiceNames = [ServiceNames.Api, ServiceNames.Workers, ServiceNames.Web];

    private static ComposeFile Compose(Dictionary<string, string>? values = null) => ComposeFile.Load(values ?? OperatorEnvironment.Values());

    [Theory]
    [MemberData(nameof(PlatformServiceNames))]
    public void Compose_GivesThePlatformServiceEverythingItsValidatorsNeed(string service)
    {
        var problems = ServiceSettings.Problems(service, Compose().Environment(service), hatchet: true);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData(ServiceNames.Api, "Credentials__ActiveKeyId", null, "ActiveKeyId")]
    [InlineData(ServiceNames.Workers, "Credentials__ActiveKeyId", null, "ActiveKeyId")]
    [InlineData(ServiceNames.Api, "Auth__JwtSecret", null, "JwtSecret")]
    [InlineData(ServiceNames.Api, "Workflows__Engine", null, "EmbeddedWorkflowEngine")]
    [InlineData(ServiceNames.Workers, "Hatchet__TlsStrategy", "Hatchet__TlsStrategie", "TlsStrategie")]
    [InlineData(ServiceNames.Workers, "Hatchet__TlsStrategy", null, "plain-text gRPC")]
    [InlineData(ServiceNames.Workers, "PackageRegistry__Reader__Password", null, "reader accounts")]
    [InlineData(ServiceNames.Api, "Credentials__Keys__k1", "Credential__Keys__k1", "Credential__Keys__k1")]
    [InlineData(ServiceNames.Web, "services__auth__http__0", null, "GoTrue")]
    public void Check_FailsOnAMissingOrMisspeltKey(string service, string key, string? misspelt, string expected)
    {
        var environment = new Dictionary<string, string>(Compose().Environment(service));
        Assert.True(environment.Remove(key, out var value), $"{service} has no {key}");
        if (misspelt is not null)
        {
            environment[misspelt] = value!;
        }

        var problems = ServiceSettings.Problems(service, environment, hatchet: true);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("CREDENTIALS_ENCRYPTION_KEY", ServiceNames.Api)]
    [InlineData("CREDENTIALS_ENCRYPTION_KEY", ServiceNames.Workers)]
    [InlineData("JWT_SECRET", ServiceNames.Auth)]
    [InlineData("AUTH_DB_PASSWORD", ServiceNames.PostgresInit)]
    [InlineData("SFP_ADMIN_ALLOWLIST", ServiceNames.Caddy)]
    [InlineData("STUDIO_PASSWORD_HASH", ServiceNames.Caddy)]
    public void Compose_RefusesABlankRequiredValue_NamingIt(string variable, string service)
    {
        var values = OperatorEnvironment.Values();
        values[variable] = "";

        var refused = Assert.Throws<ComposeInterpolationException>(() => Compose(values).Environment(service));

        Assert.Contains(variable, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_PinsEveryImage_AndTagsThePlatformsWithTheRelease()
    {
        var compose = Compose();
        foreach (var service in compose.ServiceNames)
        {
            var image = compose.Image(service);
            var tag = image[(image.LastIndexOf(':') + 1)..];
            Assert.True(tag != "latest" && System.Text.RegularExpressions.Regex.IsMatch(tag, @"\d+\.\d+"), $"{service} floats: {image}");
        }

        Assert.Equal("ghcr.io/sfp-platform/sfp-api:1.0.0", compose.Image(ServiceNames.Api));
        var values = OperatorEnvironment.Values();
        values[OperatorVariables.Version.Name] = "";
        Assert.Throws<ComposeInterpolationException>(() => Compose(values).Image(ServiceNames.Workers));
    }

    [Fact]
    public void Compose_HatchetAndItsClientsAgreeOnPortAndTls()
    {
        var compose = Compose();
        var hatchet = compose.Environment(ServiceNames.Hatchet);

        Assert.Equal("t", hatchet["SERVER_GRPC_INSECURE"]);
        Assert.Equal($"{ServiceNames.Hatchet}:{hatchet["SERVER_GRPC_PORT"]}", hatchet["SERVER_GRPC_BROADCAST_ADDRESS"]);
        Assert.EndsWith(":" + hatchet["SERVER_GRPC_PORT"], hatchet["SERVER_INTERNAL_CLIENT_INTERNAL_GRPC_BROADCAST_ADDRESS"], StringComparison.Ordinal);
        Assert.Equal("admin.sfp.example.com", hatchet["SERVER_AUTH_COOKIE_DOMAIN"]);
        Assert.EndsWith("/hatchet?sslmode=disable", hatchet["DATABASE_URL"], StringComparison.Ordinal);
        Assert.Contains("hatchet-config:/config", compose.Volumes(ServiceNames.Hatchet));
        foreach (var client in new[] { ServiceNames.Api, ServiceNames.Workers })
        {
            var environment = compose.Environment(client);
            Assert.Equal("none", environment["Hatchet__TlsStrategy"]);
            Assert.Equal(hatchet["SERVER_GRPC_BROADCAST_ADDRESS"], environment["Hatchet__GrpcAddress"]);
            Assert.Equal("hatchet", environment["Workflows__Engine"]);
        }
    }

    [Fact]
    public void Compose_GoTrueSignsWhatTheApiChecks()
    {
        var compose = Compose();
        var auth = compose.Environment(ServiceNames.Auth);
        var api = compose.Environment(ServiceNames.Api);

        Assert.Equal(auth["GOTRUE_JWT_ISSUER"], api["Auth__Issuer"]);
        Assert.Equal("https://sfp.example.com/auth/v1", api["Auth__Issuer"]);
        Assert.Equal(auth["GOTRUE_JWT_AUD"], api["Auth__Audience"]);
        Assert.Equal(auth["GOTRUE_JWT_SECRET"], api["Auth__JwtSecret"]);
        Assert.Equal("authenticated", auth["GOTRUE_JWT_DEFAULT_GROUP_NAME"]);
        Assert.Equal("true", auth["GOTRUE_DISABLE_SIGNUP"]);
        Assert.Equal("587", auth["GOTRUE_SMTP_PORT"]);
        var database = new Uri(auth["GOTRUE_DB_DATABASE_URL"]);
        Assert.Equal($"{ServiceNames.AuthRole}:{compose.Variables["AUTH_DB_PASSWORD"]}", database.UserInfo);
        Assert.Equal("/" + ServiceNames.Database, database.AbsolutePath);
        Assert.Contains("search_path=auth", database.Query, StringComparison.Ordinal);
    }
}
