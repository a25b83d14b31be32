namespace SfpPlatform.Cli.Configuration;

/// <summary>The clone of the repository a command works on: the folder holding SfpPlatform.sln.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SfpPlatform.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new CommandException("no SfpPlatform.sln above the working folder: run inside the repository, or pass --output.");
    }
}
