using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfpPlatform.Core.Providers.AzureDevOps;

public sealed record AzureDevOpsPullRequest(int PullRequestId, string Status, string SourceRefName, string TargetRefName, bool IsDraft)
{
    public AzureDevOpsCommitRef? LastMergeSourceCommit { get; init; }

    /// <summary>The target branch's commit the pull request was last merged with (its base).</summary>
    public AzureDevOpsCommitRef? LastMergeTargetCommit { get; init; }
}
