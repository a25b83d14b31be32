using Microsoft.Extensions.Options;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Providers;
using SfpPlatform.Core.Topology;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Processes;
using SfpPlatform.Workers.Workflows;

namespace SfpPlatform.Workers.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // Readiness includes Postgres: a worker that cannot reach the run queue is not ready.
        builder.AddNpgsqlDbContext<SfpDbContext>(ServiceNames.Database);

        // Provider credentials and clients for the workflows' steps.
        builder.Services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>();
        builder.Services.AddScoped<CredentialVault>();
        builder.Services.AddProviders();

        // The embedded engine's worker loops and the workflows they run.
        builder.Services.AddSingleton<ProcessRunner>();
        builder.Services.AddSingleton(CommandWorkflow.Definition);
        var validate = builder.Configuration.GetSection(ValidateOptions.SectionName).Get<ValidateOptions>() ?? new ValidateOptions();
        builder.Services.AddSingleton(ValidateWorkflow.Create(validate));
        builder.Services.AddEmbeddedWorkflowWorker(builder.Configuration.GetConnectionString(ServiceNames.Database)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ServiceNames.Database} is not configured."));
    }
}
