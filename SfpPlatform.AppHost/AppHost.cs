using SfpPlatform.AppHost.Runtime;

var builder = DistributedApplication.CreateBuilder(args);

PlatformInfrastructure infrastructure;
try
{
    infrastructure = builder.AddPlatformInfrastructure();
}
catch (PrerequisiteMissingException missing)
{
    Console.Error.WriteLine(missing.Message);
    return 1;
}

builder.AddPlatformServices(infrastructure);

await builder.Build().RunAsync();
return 0;
