global using SfpPlatform.Cli.Configuration;
global using SfpPlatform.Contracts.Webhooks;
global using Xunit;
global using static SfpPlatform.Tests.Infrastructure.TestCancellation;

// The process runner and the operator scripts are Linux and macOS code paths.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
