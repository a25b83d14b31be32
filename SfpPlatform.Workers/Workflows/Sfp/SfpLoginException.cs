using System.Text;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>An org could not be logged into the workspace's auth store (refused credentials, an unreachable org).</summary>
public sealed class SfpLoginException(string message) : Exception(message);
