using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using SfpPlatform.Core.Audit;
using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Cli.Commands;

/// <summary><c>credentials rotate-key [--dry-run]</c>: every stored secret re-encrypted under the active key. Database directly (it needs the keys).</summary>
public static class CredentialCommands
{
    public static Command Create(CommandContext context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Re-encrypts in a transaction that is rolled back: proves every secret decrypts and counts them; changes nothing." };
        var connection = DatabaseOption();
        var rotate = new Command("rotate-key",
            "Re-encrypts every secret not yet under Credentials:ActiveKeyId, in one transaction (all or nothing). Configure the new key beside the old "
            + "(Credentials__Keys__<id>, Credentials__ActiveKeyId) in the environment, as on the Api and Workers.")
        {
            dryRun,
            connection,
        };
        rotate.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = PlatformDatabase.Services(parse.GetValue(connection));
            var options = PlatformDatabase.Options<CredentialOptions>(services);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SfpDbContext>();
            await PlatformDatabase.RequireCurrentSchemaAsync(db, cancellationToken);
            var dry = parse.GetValue(dryRun);
            int rotated;
            try
            {
                rotated = await scope.ServiceProvider.GetRequiredService<CredentialVault>()
                    .RotateToActiveKeyAsync($"{CliApp.Name}:{Environment.UserName}", cancellationToken, dry);
            }
            catch (CredentialKeyException e)
            {
                throw new CommandException(e.Message);
            }

            if (dry)
            {
                await context.Output.WriteLineAsync($"Would re-encrypt {rotated} secret(s) under key '{options.ActiveKeyId}'; every one decrypts. Nothing was changed (dry run).");
                return 0;
            }

            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActor.Operator("credentials rotate-key"),
                AuditActions.CredentialKeyRotated, $"key:{options.ActiveKeyId}", detail: $"{rotated} secret(s) re-encrypted", cancellationToken: cancellationToken);
            await context.Output.WriteLineAsync($"Re-encrypted {rotated} secret(s) under key '{options.ActiveKeyId}'.");
            return 0;
        });

        return new Command("credentials", "Stored provider credentials.") { rotate };
    }

    public static Option<string?> DatabaseOption() => new("--connection-string")
    {
        Description = "The platform database (default: the environment's ConnectionStrings__sfp, as the Api has it).",
    };
}
