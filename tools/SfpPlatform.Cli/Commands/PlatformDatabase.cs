using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Retention;
using SfpPlatform.Core.Workflows.Runs;
using SfpPlatform.Topology;

namespace SfpPlatform.Cli.Commands;

/// <summary>
/// The commands that work on the database directly (rotation needs the keys, which no Api exposes; a purge is bulk work an
/// operator schedules, not a request): the platform's services over <c>ConnectionStrings:sfp</c> and the same sections the
/// Api and Workers read, from the environment (<c>ConnectionStrings__sfp</c>, <c>Credentials__Keys__k2</c>, <c>Retention__Runs</c>, …).
/// </summary>
public static class PlatformDatabase
{
    public static ServiceProvider Services(string? connectionString)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        connectionString ??= configuration.GetConnectionString(ServiceNames.Database);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new CommandException($"no database: set ConnectionStrings__{ServiceNames.Database} (as the Api has it) or pass --connection-string.");
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<SfpDbContext>(options => options.UseNpgsql(connectionString).UseSfpConventions());
        services.AddOptions<CredentialOptions>().BindConfiguration(CredentialOptions.SectionName);
        services.AddSingleton<IValidateOptions<CredentialOptions>, CredentialOptionsValidator>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName);
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
        services.AddScoped<CredentialVault>();
        services.AddScoped<AuditLog>();
        services.AddScoped<WorkflowRunStore>();
        services.AddScoped<RetentionPurge>();
        return services.BuildServiceProvider();
    }

    /// <summary>The options of <typeparamref name="T"/>, every validation failure one line.</summary>
    public static T Options<T>(IServiceProvider services) where T : class
    {
        try
        {
            return services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new CommandException(string.Join(" ", e.Failures));
        }
    }

    /// <summary>The Api owns the schema: a command refuses to work on one the Api has not migrated yet.</summary>
    public static async Task RequireCurrentSchemaAsync(SfpDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new CommandException($"the database schema lacks {pending.Count} migration(s) ({pending[^1]}): start the Api of this version first (it migrates).");
        }
    }
}
