global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using SfpPlatform.Cli.Configuration;
global using SfpPlatform.Contracts.Webhooks;
global using Xunit;
global using static SfpPlatform.Tests.Infrastructure.TestCancellation;

// The integration tests run the local-processes runtime, which targets Linux and macOS hosts.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Every test here needs the stack or a real service (the AppHost, Postgres, Caddy, Chromium, Verdaccio, npm); tests
// that need none live in SfpPlatform.UnitTests. The fast lane: dotnet test SfpPlatform.UnitTests, or
// --filter "Category!=Stack" over the solution.
[assembly: Trait("Category", "Stack")]
