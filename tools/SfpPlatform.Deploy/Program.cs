using SfpPlatform.Core.Deployment;
using SfpPlatform.Topology.Rendering;

// Renders deploy/ from the platform's description. Usage: dotnet run --project tools/SfpPlatform.Deploy [-- <output folder>]
var output = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(FindRepositoryRoot(), "deploy");
foreach (var file in DeployManifest.Write(PlatformServices.Deployment, output))
{
    Console.WriteLine(Path.Combine(output, file));
}

return 0;

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "SfpPlatform.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run inside the SfpPlatform repository, or pass the output folder.");
}
