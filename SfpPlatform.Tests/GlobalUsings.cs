global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using SfpPlatform.Cli.Configuration;
global using SfpPlatform.Contracts.Webhooks;
global using Xunit;

// The integration tests run the local-processes runtime, which targets Linux and macOS hosts.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
