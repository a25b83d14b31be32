namespace SfpPlatform.Core.Integrations;

/// <summary>The kinds of credential the platform stores, as they appear in the API.</summary>
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

    public static readonly IReadOnlyList<string> All =
        [GitHubApp, GitHubPat, AzureDevOpsPat, SalesforceJwt, SalesforceAuthUrl, GitHubWebhook, AzureDevOpsWebhook];
}
