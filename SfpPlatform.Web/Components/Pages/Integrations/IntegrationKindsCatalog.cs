namespace SfpPlatform.Web.Components.Pages.Integrations;

/// <summary>The form for each kind of integration: its settings fields and what its secret is.</summary>
public static class IntegrationKindsCatalog
{
    public sealed record Field(string Name, string Label, string? Hint = null, bool Number = false, IReadOnlyList<string>? Choices = null);

    public sealed record Kind(string Id, string Label, string SecretLabel, bool SecretMultiline, IReadOnlyList<Field> Fields);

    public static readonly IReadOnlyList<Kind> All =
    [
        new("github-pat", "GitHub personal access token", "Token", false,
            [new("baseUrl", "GitHub Enterprise URL", "Leave empty for github.com")]),
        new("github-app", "GitHub App", "Private key (PEM)", true,
            [new("appId", "App id", Number: true), new("clientId", "Client id"), new("baseUrl", "GitHub Enterprise URL", "Leave empty for github.com")]),
        new("azure-devops-pat", "Azure DevOps personal access token", "Token", false,
            [new("organizationUrl", "Organisation URL", "https://dev.azure.com/your-organisation")]),
        new("salesforce-jwt", "Salesforce connected app (JWT)", "Private key (PEM)", true,
            [new("loginUrl", "Login URL", "https://login.salesforce.com"), new("username", "Username"), new("consumerKey", "Consumer key"), new("instanceUrl", "Instance URL", "Optional")]),
        new("salesforce-auth-url", "Salesforce auth URL (sfdx)", "Auth URL", false, [new("username", "Username", "Optional")]),
        new("github-webhook", "GitHub webhook secret", "Webhook secret", false,
            [new("targetType", "Target type", Choices: ["integration", "repository", "organization", "business"]), new("targetId", "Target id", Number: true)]),
        new("azure-devops-webhook", "Azure DevOps service hook (basic auth)", "Password", false, [new("username", "User name")]),
    ];
}
