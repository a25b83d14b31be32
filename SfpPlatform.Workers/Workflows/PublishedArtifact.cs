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

/// <summary>What one build published: the npm package sfp published (or left as it was), and the sfdx package it is of.</summary>
public sealed record PublishedArtifact(string Name, string Version, string Package, string Path, string Outcome);
