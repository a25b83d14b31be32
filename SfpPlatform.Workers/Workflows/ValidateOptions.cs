using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.ReviewEnvironments;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;
using SfpPlatform.Workers.Workflows.Sfp;

namespace SfpPlatform.Workers.Workflows;

/// <summary>Settings of the validate workflow (<c>Workflows:Validate</c>).</summary>
public sealed class ValidateOptions
{
    public const string SectionName = "Workflows:Validate";

    /// <summary>The pools <c>sfp validate pool</c> takes an org from when no review org is leased to the pull request.</summary>
    public static readonly IReadOnlyList<string> DefaultPools = ["ci"];

    /// <summary>A program run in place of the installed sfp, with the same arguments (a wrapper); none by default.</summary>
    public string? Command { get; set; }

    /// <summary><c>--mode</c>: individual, fastfeedback, thorough (default), ff-release-config or thorough-release-config.</summary>
    public string Mode { get; set; } = "thorough";

    /// <summary><c>-p</c> of <c>sfp validate pool</c> (default <c>ci</c>).</summary>
    public List<string>? Pools { get; set; }

    /// <summary>Further flags for <c>sfp validate</c>, e.g. <c>--coveragepercent 80</c>.</summary>
    public List<string>? Arguments { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(60);

    public IReadOnlyList<string> EffectivePools => Pools is { Count: > 0 } pools ? pools : DefaultPools;

    /// <summary>Refuses a mode sfp does not have at start-up, not at the first pull request.</summary>
    public ValidateOptions Validated() =>
        SfpCommands.ValidationModes.Contains(Mode, StringComparer.Ordinal)
            ? this
            : throw new OptionsValidationException(SectionName, typeof(ValidateOptions),
                [$"{SectionName}:Mode '{Mode}' is not a mode of sfp validate: use one of {string.Join(", ", SfpCommands.ValidationModes)}."]);
}
