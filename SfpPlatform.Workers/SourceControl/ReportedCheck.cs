using SfpPlatform.Core.Providers.AzureDevOps;
using SfpPlatform.Core.Providers.GitHub;
using SfpPlatform.Core.Webhooks;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>A check the platform reports on a commit or pull request: its status context and display name.</summary>
public sealed record ReportedCheck(string Context, string Name);
