using System.Security.Cryptography;
using System.Text;
using SfpPlatform.Topology.Rendering;

namespace SfpPlatform.AppHost.Runtime;

/// <summary>
/// Verdaccio's configuration (<see cref="VerdaccioConfigRenderer"/>) and htpasswd for either runtime, with two
/// platform-generated accounts (<see cref="Publisher"/> may publish, <see cref="Reader"/> may only read); the public
/// uplink is off unless <c>Platform:Verdaccio:PublicUplink</c> is true.
/// </summary>
internal static class VerdaccioConfiguration
{
    public const string Publisher = VerdaccioConfigRenderer.Publisher;
    public const string Reader = VerdaccioConfigRenderer.Reader;

    /// <summary>The generated accounts' passwords (kept in the AppHost's user secrets, like the other generated keys).</summary>
    public sealed record Accounts(IResourceBuilder<ParameterResource> PublisherPassword, IResourceBuilder<ParameterResource> ReaderPassword);

    public static bool PublicUplink(IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetValue<bool>("Platform:Verdaccio:PublicUplink");

    /// <summary>
    /// Writes <c>config.yaml</c> and <c>htpasswd</c> into <paramref name="directory"/> before the resources start (the
    /// passwords are parameters, resolved then).
    /// </summary>
    /// <param name="forContainer">The image runs Verdaccio as its own user, which must be able to read the htpasswd
    /// file; a local process runs as the AppHost's user, so the file stays readable by it alone.</param>
    public static void WriteBeforeStart(IDistributedApplicationBuilder builder, string directory, Accounts accounts, string configuration, bool forContainer = false)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "config.yaml"), configuration, cancellationToken);
            var htpasswd = Path.Combine(directory, "htpasswd");
            await File.WriteAllTextAsync(htpasswd,
                Line(Publisher, (await accounts.PublisherPassword.Resource.GetValueAsync(cancellationToken))!)
                + Line(Reader, (await accounts.ReaderPassword.Resource.GetValueAsync(cancellationToken))!), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(htpasswd, forContainer
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        });
    }

    /// <summary>An htpasswd line in the <c>{SHA}</c> scheme Verdaccio's htpasswd plugin verifies (the passwords are
    /// 32+ random characters, so an unsalted digest is not the weak point).</summary>
    private static string Line(string user, string password) =>
        $"{user}:{{SHA}}{Convert.ToBase64String(SHA1.HashData(Encoding.UTF8.GetBytes(password)))}\n";
}
