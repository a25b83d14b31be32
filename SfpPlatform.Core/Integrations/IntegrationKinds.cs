namespace SfpPlatform.Core.Integrations;

/// <summary>The kinds of credential the platform stores, as they appear in the API.</summary>
public static class IntegrationKinds
{
    public const string GitHubApp = "github-app";
    public const string GitHubPat = "github-pat";
    public const string AzureDevOpsPat = "azure-devops-pat";
    public const string SalesforceJwt = "salesforce-jwt";
    public const string SalesforceAuthUrl = "salesforce-auth-url";

    public static readonly IReadOnlyList<string> All = [GitHubApp, GitHubPat, AzureDevOpsPat, SalesforceJwt, SalesforceAuthUrl];
}
