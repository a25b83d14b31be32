using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfpPlatform.Core.Providers.AzureDevOps;

public sealed record AzureDevOpsCommitRef(string CommitId);
