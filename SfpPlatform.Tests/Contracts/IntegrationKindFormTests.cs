using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SfpPlatform.Contracts.Integrations;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Tests.Infrastructure;
using SfpPlatform.Tests.Webhooks;

namespace SfpPlatform.Tests.Contracts;

/// <summary>
/// The kinds the Api serves agree with what it accepts: a form built from <c>GET /sfp/api/integrations/kinds</c> the
/// way the Web builds it (<see cref="IntegrationKind.SettingsFrom"/>) and filled with each field's example is
/// accepted for every kind; left empty, it is refused for exactly the fields the schema marks required.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class IntegrationKindFormTests(PlatformAppFixture platform)
{
    private readonly WebhookTestClient _webhooks = new(platform);

    public static TheoryData<string> Kinds => [.. IntegrationKinds.All];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task FormFromTheServedSchema_FilledWithItsExamples_IsAccepted(string id)
    {
        var kind = await KindAsync(id);
        var texts = kind.Settings.ToDictionary(f => f.Name, f => f.Example);
        Assert.All(kind.Settings, f => Assert.True(f.Choices is null || f.Choices.Contains(f.Example), $"{f.Name}'s example is not one of its choices"));

        using var owner = await platform.ClientAsync(Caller.Owner);
        var request = new CreateIntegrationRequest(kind.Id, $"form-{Guid.NewGuid():n}", null,
            JsonSerializer.SerializeToElement(kind.SettingsFrom(texts)), SecretFor(kind.Id));
        using var response = await owner.PostAsJsonAsync("/sfp/api/integrations", request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{kind.Id}: {(int)response.StatusCode} {body}");
        var created = ContractJson.Read<IntegrationResponse>(body);
        foreach (var field in kind.Settings)
        {
            // Stored as the form wrote it: a number for an integer, an array for a list, else the text.
            var stored = created.Settings.GetProperty(field.Name);
            Assert.Equal(JsonSerializer.Serialize(field.ValueOf(field.Example)), stored.GetRawText());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task EmptyFormFromTheServedSchema_IsRefused_ForExactlyItsRequiredFields(string id)
    {
        var kind = await KindAsync(id);
        using var owner = await platform.ClientAsync(Caller.Owner);
        var request = new CreateIntegrationRequest(kind.Id, $"form-{Guid.NewGuid():n}", null,
            JsonSerializer.SerializeToElement(kind.SettingsFrom(new Dictionary<string, string>())), "");
        using var response = await owner.PostAsJsonAsync("/sfp/api/integrations", request, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            kind.Settings.Where(f => f.Required).Select(f => $"settings.{f.Name}").Append("secret").Order(),
            problem!.Errors.Keys.Order());
        Assert.Contains(kind.Secret.Description, problem.Errors["secret"].Single(), StringComparison.Ordinal);
    }

    private async Task<IntegrationKind> KindAsync(string id)
    {
        using var member = await platform.ClientAsync(Caller.Member);
        var kinds = await ContractJson.SendAsync<IReadOnlyList<IntegrationKind>>(member, HttpMethod.Get, "/sfp/api/integrations/kinds");
        return Assert.Single(kinds, k => k.Id == id);
    }

    /// <summary>A secret of the form the kind's secret takes (what the Api checks it against).</summary>
    private static string SecretFor(string kind) => kind switch
    {
        IntegrationKinds.GitHubApp or IntegrationKinds.SalesforceJwt => TestSecrets.RsaPrivateKeyPem(),
        IntegrationKinds.SalesforceAuthUrl => TestSecrets.SalesforceAuthUrl(),
        _ => TestSecrets.Token(kind),
    };
}
