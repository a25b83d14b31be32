namespace SfpPlatform.Tests.Infrastructure;

/// <summary>A folder of its own for one test, deleted afterwards.</summary>
public sealed class TestFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sfp-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a process that still holds a file leaves the folder to the OS's temp cleanup.
        }
    }
}
