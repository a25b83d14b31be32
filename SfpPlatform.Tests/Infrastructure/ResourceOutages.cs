namespace SfpPlatform.Tests.Infrastructure;

/// <summary>Stopping a resource of the shared stack for an outage test, and starting it again.</summary>
public static class ResourceOutages
{
    /// <summary>
    /// Stops <paramref name="resource"/> and waits until its process has ended. The stop command returns while a .NET
    /// service may still be shutting down (seconds on a busy machine: it ends its in-flight work first); a start issued
    /// meanwhile leaves the resource "failed to start" for the rest of the shared stack's tests, and whatever the test
    /// does "while it is down" would happen while it still runs.
    /// </summary>
    public static async Task StopAsync(this DistributedApplication app, string resource)
    {
        await app.ResourceCommands.ExecuteCommandAsync(resource, "resource-stop", Cancellation);
        await app.ResourceNotifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates, Cancellation)
            .WaitAsync(TimeSpan.FromMinutes(1), Cancellation);
    }

    /// <summary>Starts <paramref name="resource"/> again and waits until it is healthy.</summary>
    public static async Task StartAsync(this DistributedApplication app, string resource)
    {
        await app.ResourceCommands.ExecuteCommandAsync(resource, "resource-start", Cancellation);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, Cancellation).WaitAsync(TimeSpan.FromMinutes(2), Cancellation);
    }
}
