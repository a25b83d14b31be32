using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SfpPlatform.Core.Providers.AzureDevOps;

/// <summary>A PR status: <c>state</c> is succeeded, failed, pending, error or notApplicable.</summary>
public sealed record AzureDevOpsStatus(string State, string Description, string ContextName, string ContextGenre = "sfp", string? TargetUrl = null);
