using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Packages;

/// <summary>
/// The private npm registry as the workers use it: an <c>.npmrc</c> per workspace (registry and credentials, never
/// on a command line or in a log) so npm, npx and the sfp CLI resolve through Verdaccio only — sfp publishes build
/// artifacts with the publisher's; reading what is published.
/// </summary>
public sealed class PackageRegistry(IHttpClientFactory http, IOptions<PackageRegistryOptions> options, IConfiguration configuration)
{
    public const string HttpClientName = "verdaccio";

    private PackageRegistryOptions Options => options.Value;

    public Uri Url => Options.Url is { } url
        ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/")
        : configuration["services:verdaccio:http:0"] is { Length: > 0 } discovered
            ? new Uri(discovered.TrimEnd('/') + "/")
            : throw new InvalidOperationException("No package registry is configured: set PackageRegistry:Url or reference Verdaccio.");

    /// <summary>Every value that must be masked in a step's output.</summary>
    public IReadOnlyList<string> Secrets =>
        [.. new[] { Options.Publisher, Options.Reader }.Where(a => a.IsConfigured).SelectMany(a => new[] { a.Password, BasicValue(a) })];

    /// <summary>
    /// Writes <paramref name="directory"/>'s <c>.npmrc</c> (or <paramref name="fileName"/>): the registry for every
    /// scope — <paramref name="scope"/> named too, as <c>sfp publish --npm --scope</c> expects — and the role's
    /// credentials for it as <c>_auth</c> (Verdaccio refuses an <c>_authToken</c> of another login). Returns its path.
    /// </summary>
    public async Task<string> WriteNpmrcAsync(
        string directory, PackageRegistryRole role, CancellationToken cancellationToken, string? scope = null, string fileName = ".npmrc")
    {
        var account = Account(role);
        var registry = Url.AbsoluteUri;
        var scoped = "//" + Url.Authority + Url.AbsolutePath;
        var text = new StringBuilder()
            .Append("registry=").Append(registry).Append('\n')
            .Append("audit=false\nfund=false\nupdate-notifier=false\n");
        if (scope is not null)
        {
            text.Append('@').Append(scope.TrimStart('@').ToLowerInvariant()).Append(":registry=").Append(registry).Append('\n');
        }

        if (account.IsConfigured)
        {
            // npm 7+ sends a registry's _auth on every request to it (always-auth is gone; npm 10 warns about it).
            text.Append(scoped).Append(":_auth=").Append(BasicValue(account)).Append('\n');
        }

        var path = Path.Combine(directory, fileName);
        await File.WriteAllTextAsync(path, text.ToString(), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    /// <summary>
    /// The environment a command in the workspace runs with: npm reads the workspace's <c>.npmrc</c> as its user
    /// configuration (not the worker's home), so nothing resolves from the public registry.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment(string workspace, IReadOnlyDictionary<string, string?> extra)
    {
        var environment = new Dictionary<string, string?>(extra)
        {
            ["NPM_CONFIG_USERCONFIG"] = Path.Combine(workspace, ".npmrc"),
            ["NPM_CONFIG_REGISTRY"] = Url.AbsoluteUri,
            ["NPM_CONFIG_CACHE"] = Path.Combine(workspace, ".npm-cache"),
        };
        return environment;
    }

    /// <summary>The versions published under a name (empty when the name is unknown).</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(string name, CancellationToken cancellationToken) =>
        (await PackageDocumentAsync(name, cancellationToken))?["versions"] is JsonObject versions ? [.. versions.Select(v => v.Key)] : [];

    /// <summary>Downloads a published version's tarball (what an install would fetch).</summary>
    public async Task<byte[]> DownloadAsync(string name, string version, CancellationToken cancellationToken)
    {
        using var client = Client(PackageRegistryRole.Reader);
        using var response = await client.GetAsync($"{name}/-/{name.Split('/')[^1]}-{version}.tgz", cancellationToken);
        await EnsureSuccessAsync(response, $"downloading {name}@{version}", cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>The registry's document of a package (its versions and their dist), null when the name is unknown.</summary>
    private async Task<JsonObject?> PackageDocumentAsync(string name, CancellationToken cancellationToken)
    {
        using var client = Client(PackageRegistryRole.Reader);
        using var response = await client.GetAsync(PackagePath(name), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, $"reading {name}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    private HttpClient Client(PackageRegistryRole role)
    {
        var client = http.CreateClient(HttpClientName);
        client.BaseAddress = Url;
        var account = Account(role);
        if (account.IsConfigured)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(account));
        }

        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    private RegistryAccount Account(PackageRegistryRole role) => role == PackageRegistryRole.Publisher ? Options.Publisher : Options.Reader;

    /// <summary>npm's path for a package: the scope's slash escaped.</summary>
    private static string PackagePath(string name) => name.Replace("/", "%2f", StringComparison.Ordinal);

    private static string BasicValue(RegistryAccount account) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.Username}:{account.Password}"));

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var message = $"The package registry refused {what}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}";
        throw new PackageRegistryException(message,
            isPermanent: response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.BadRequest);
    }
}
