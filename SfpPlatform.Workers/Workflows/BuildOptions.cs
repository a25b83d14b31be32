using System.Globalization;
using System.Text;
using SfpPlatform.Core.Builds;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Workflows;

/// <summary>Settings of the build workflow (<c>Workflows:Build</c>).</summary>
public sealed class BuildOptions
{
    public const string SectionName = "Workflows:Build";

    /// <summary>A program run in place of the installed sfp, with the same arguments (a wrapper); none by default.</summary>
    public string? Command { get; set; }

    /// <summary>Further flags for <c>sfp build</c>, e.g. <c>--releaseconfig config/release.yml</c>.</summary>
    public List<string>? Arguments { get; set; }

    /// <summary>Further flags for <c>sfp publish</c>, e.g. <c>--npmtag next</c>.</summary>
    public List<string>? PublishArguments { get; set; }

    /// <summary>The npm scope of artifacts built for deliveries that belong to no project.</summary>
    public string DefaultScope { get; set; } = "sfp";

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);
}
