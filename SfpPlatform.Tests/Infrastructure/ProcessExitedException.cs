using System.Diagnostics;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// A process a test started (<see cref="TestProcess.Start"/>) exited while starting; the message ends with the last
/// lines it wrote.
/// </summary>
public sealed class ProcessExitedException(Process process) : InvalidOperationException(
    $"{process.StartInfo.FileName} exited with {process.ExitCode} while starting. Its last output:\n{TestProcess.OutputTail(process)}")
{
    /// <summary>Whether it could not bind its address (both .NET and Caddy say "address already in use").</summary>
    public bool AddressInUse => Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}
