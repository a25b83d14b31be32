using System.Globalization;
using SfpPlatform.Workers.Processes;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>A pull request's commits, for sfp validate's <c>--ref</c> and <c>--baseRef</c>.</summary>
public sealed record PullRequestRefs(string Head, string Base);
