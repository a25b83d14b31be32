using System.Diagnostics;

namespace SfpPlatform.Workers.Processes;

/// <summary>A directory of its own for one run attempt, deleted afterwards whatever happened.</summary>
public sealed class RunWorkspace : IDisposable
{
    private RunWorkspace(string path) => Path = path;

    public string Path { get; }

    public static RunWorkspace Create(Guid runId, string? root = null)
    {
        var directory = System.IO.Path.Combine(root ?? System.IO.Path.GetTempPath(), "sfp-runs", $"{runId:n}-{Guid.NewGuid():n}"[..45]);
        Directory.CreateDirectory(directory);
        return new RunWorkspace(directory);
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A process still holding a file: the temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
