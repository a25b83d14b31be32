using SfpPlatform.Contracts.Integrations;

namespace SfpPlatform.Core.Integrations;

/// <summary>
/// The kinds of credential the platform stores, as they appear in the API, and the one declaration of each kind:
/// its settings and its secret. <see cref="IntegrationValidator"/> checks requests against it, and the Api serves it
/// (<see cref="Schema"/>, <c>GET /sfp/api/integrations/kinds</c>) for the Web to build its forms from.
/// </summary>
public static class IntegrationKinds
{
    public const string GitHubApp = "github-app";
    public const string GitHubPat = "github-pat";
    public const string AzureDevOpsPat = "azure-devops-pat";
    public const string SalesforceJwt = "salesforce-jwt";
    public const string SalesforceAuthUrl = "salesforce-auth-url";

    /// <summary>A GitHub webhook's secret, for one hook target (an App, a repository or an organisation).</summary>
    public const string GitHubWebhook = "github-webhook";

    /// <summary>The basic-auth credentials an Azure DevOps service-hook subscription sends.</summary>
    public const string AzureDevOpsWebhook = "azure-devops-webhook";

    private static readonly SettingDeclaration GitHubEnterpriseUrl =
        new("baseUrl", SettingType.GitHubEnterpriseUrl, "GitHub Enterprise URL", "https://github.example.com", Hint: "Leave empty for github.com.");

    private static readonly SecretDeclaration PrivateKey = new(SecretType.RsaPrivateKeyPem, "Private key (PEM)", "the RSA private key, PEM", Multiline: true);

    private static readonly SecretDeclaration PersonalAccessToken = new(SecretType.Token, "Token", "the personal access token");

    /// <summary>Every kind, in the order the Api lists them.</summary>
    internal static readonly IReadOnlyList<IntegrationKindDeclaration> Declarations =
    [
        new(GitHubApp, "GitHub App", PrivateKey,
        [
            new("appId", SettingType.PositiveInteger, "App id", "123456", Required: true),
            new("clientId", SettingType.String, "Client id", "Iv1.8a61f9b3a7aba766", Hint: "Names the App in its tokens in place of the App id."),
            new("installationIds", SettingType.PositiveIntegerArray, "Installation ids", "12345678"),
            GitHubEnterpriseUrl,
        ]),
        new(GitHubPat, "GitHub personal access token", PersonalAccessToken, [GitHubEnterpriseUrl]),
        new(AzureDevOpsPat, "Azure DevOps personal access token", PersonalAccessToken,
        [
            new("organizationUrl", SettingType.AzureDevOpsUrl, "Organisation URL", "https://dev.azure.com/your-organisation", Required: true),
        ]),
        new(SalesforceJwt, "Salesforce connected app (JWT)", PrivateKey,
        [
            new("loginUrl", SettingType.SalesforceUrl, "Login URL", "https://login.salesforce.com", Required: true),
            new("username", SettingType.String, "Username", "ci@example.com", Required: true),
            new("consumerKey", SettingType.String, "Consumer key", "3MVG9A2kN3Bn17hs", Required: true),
            new("instanceUrl", SettingType.SalesforceUrl, "Instance URL", "https://your-domain.my.salesforce.com"),
        ]),
        new(SalesforceAuthUrl, "Salesforce auth URL (sfdx)", new(SecretType.SfdxAuthUrl, "Auth URL", "the sfdx auth URL"),
        [
            new("username", SettingType.String, "Username", "ci@example.com"),
        ]),
        new(GitHubWebhook, "GitHub webhook secret", new(SecretType.WebhookSecret, "Webhook secret", "the webhook secret configured on GitHub"),
        [
            new("targetType", SettingType.GitHubHookTarget, "Target type", "integration", Required: true,
                Hint: "'integration' for a GitHub App's webhook; else the repository's or organisation's."),
            new("targetId", SettingType.PositiveInteger, "Target id", "123456", Required: true,
                Hint: "The App's, repository's or organisation's id (X-GitHub-Hook-Installation-Target-ID)."),
        ]),
        new(AzureDevOpsWebhook, "Azure DevOps service hook (basic auth)",
            new(SecretType.WebhookSecret, "Password", "the basic-auth password configured on the service hook"),
        [
            new("username", SettingType.BasicAuthUser, "User name", "service-hooks", Required: true),
        ]),
    ];

    public static readonly IReadOnlyList<string> All = [.. Declarations.Select(k => k.Id)];

    /// <summary>The kinds as the Api describes them to its clients.</summary>
    public static readonly IReadOnlyList<IntegrationKind> Schema = [.. Declarations.Select(Describe)];

    internal static IntegrationKindDeclaration? Find(string kind) => Declarations.FirstOrDefault(k => k.Id == kind);

    private static IntegrationKind Describe(IntegrationKindDeclaration kind) => new(
        kind.Id,
        kind.Label,
        [.. kind.Settings.Select(s => new IntegrationSettingField(s.Name, s.Label, FieldType(s.Type), s.Required, s.Hint, s.Example,
            s.Type == SettingType.GitHubHookTarget ? IntegrationValidator.GitHubHookTargets : null))],
        new IntegrationSecret(kind.Secret.Label, kind.Secret.Description, kind.Secret.Multiline));

    private static string FieldType(SettingType type) => type switch
    {
        SettingType.String or SettingType.BasicAuthUser => IntegrationFieldTypes.Text,
        SettingType.PositiveInteger => IntegrationFieldTypes.Integer,
        SettingType.PositiveIntegerArray => IntegrationFieldTypes.IntegerList,
        SettingType.GitHubHookTarget => IntegrationFieldTypes.Choice,
        SettingType.AzureDevOpsUrl or SettingType.SalesforceUrl or SettingType.GitHubEnterpriseUrl => IntegrationFieldTypes.Url,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
