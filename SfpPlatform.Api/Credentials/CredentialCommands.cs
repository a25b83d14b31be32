using SfpPlatform.Core.Credentials;
using SfpPlatform.Core.Data;

namespace SfpPlatform.Api.Credentials;

/// <summary>
/// <c>dotnet SfpPlatform.Api.dll rotate-credentials-key</c>: re-encrypts every stored secret under the active key
/// (Credentials:ActiveKeyId) in one transaction, then exits. The old keys must still be configured.
/// </summary>
public static class CredentialCommands
{
    public const string RotateKey = "rotate-credentials-key";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == RotateKey;

    public static async Task<int> RunAsync(WebApplication app)
    {
        await DatabaseMigrator.MigrateAsync(app.Services);
        await using var scope = app.Services.CreateAsyncScope();
        var vault = scope.ServiceProvider.GetRequiredService<CredentialVault>();
        try
        {
            var rotated = await vault.RotateToActiveKeyAsync(caller: $"command:{Environment.UserName}");
            Console.WriteLine($"Re-encrypted {rotated} secret(s) under the active key.");
            return 0;
        }
        catch (CredentialKeyException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
