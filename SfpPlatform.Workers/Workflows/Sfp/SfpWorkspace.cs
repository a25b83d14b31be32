using System.Text;
using SfpPlatform.Core.Integrations;
using SfpPlatform.Core.Packages;
using SfpPlatform.Core.Providers.Salesforce;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Workers.Processes;
using SfpPlatform.Workers.SourceControl;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>
/// Where a step runs sfp: a run workspace (mode 700, deleted afterwards) holding the commit's source as a git
/// repository (<see cref="Source"/>, where sfp runs), a home of its own (<see cref="Home"/>: the Salesforce CLI's
/// auth store, npm's configuration, git's) and the login files. Orgs are logged into that store under the aliases the
/// command lines name; nothing is read from or written to the worker's own home, so nothing leaks between runs.
/// Every command line is logged as its own line before it runs, with every secret the workspace knows masked.
/// </summary>
public sealed partial class SfpWorkspace : IDisposable
{
    private const string JwtLoginScript = "org-login-jwt.cjs";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly RunWorkspace _workspace;
    private readonly StepContext _context;
    private readonly SfpCli _cli;
    private readonly ProcessRunner _runner;
    private readonly List<string> _secrets = [];
    private readonly Dictionary<string, string?> _environment;
    private readonly string _auth;

    private SfpWorkspace(StepContext context, RunWorkspace workspace, IReadOnlyDictionary<string, string?> environment)
    {
        _context = context;
        _workspace = workspace;
        _cli = context.Services.GetRequiredService<SfpCli>();
        _runner = context.Services.GetRequiredService<ProcessRunner>();
        Source = Directory.CreateDirectory(Path.Combine(workspace.Path, "source")).FullName;
        Home = Directory.CreateDirectory(Path.Combine(workspace.Path, "home")).FullName;
        _auth = Directory.CreateDirectory(Path.Combine(workspace.Path, "auth")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workspace.Path, OwnerOnly);
            File.SetUnixFileMode(_auth, OwnerOnly);
        }

        _environment = new Dictionary<string, string?>(environment)
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
            ["XDG_DATA_HOME"] = Path.Combine(Home, ".local", "share"),
            ["XDG_STATE_HOME"] = Path.Combine(Home, ".local", "state"),
            ["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache"),
            // The auth store's key in a file of the store (~/.sfdx/key.json), not the worker's keychain.
            ["SF_USE_GENERIC_UNIX_KEYCHAIN"] = "true",
            ["SFDX_USE_GENERIC_UNIX_KEYCHAIN"] = "true",
            ["SF_DISABLE_TELEMETRY"] = "true",
            ["SFDX_DISABLE_TELEMETRY"] = "true",
            ["SF_AUTOUPDATE_DISABLE"] = "true",
            ["SF_SKIP_NEW_VERSION_CHECK"] = "true",
            // Plain text in the run log.
            ["SFPOWERSCRIPTS_NOCOLOR"] = "true",
            ["FORCE_COLOR"] = "0",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_AUTHOR_NAME"] = "sfp platform",
            ["GIT_AUTHOR_EMAIL"] = "sfp-platform@localhost",
            ["GIT_COMMITTER_NAME"] = "sfp platform",
            ["GIT_COMMITTER_EMAIL"] = "sfp-platform@localhost",
        };
    }

    /// <summary>The commit's source, a git repository; sfp runs here.</summary>
    public string Source { get; }

    /// <summary>HOME of every process the workspace runs.</summary>
    public string Home { get; }

    /// <summary>Every value masked in the log (provider token, registry passwords, org credentials).</summary>
    public IReadOnlyList<string> Secrets => _secrets;

    /// <summary>
    /// A workspace for <paramref name="repository"/> (none for a deployment that names no repository): its token in <see cref="RepositoryConnection.TokenVariable"/>
    /// and as git's credentials for its remote (for sfp's own git calls), npm configured for the platform's Verdaccio
    /// with the reader account, and <paramref name="variables"/>.
    /// </summary>
    public static async Task<SfpWorkspace> CreateAsync(StepContext context, RepositoryConnection? repository, IReadOnlyDictionary<string, string?> variables)
    {
        var registry = context.Services.GetRequiredService<PackageRegistry>();
        var workspace = RunWorkspace.Create(context.RunId);
        try
        {
            var environment = new Dictionary<string, string?>(variables);
            if (repository is not null)
            {
                environment[repository.TokenVariable] = repository.Token;
                // git's credentials for the repository's remote, from the environment (never on a command line).
                environment["GIT_CONFIG_COUNT"] = "1";
                environment["GIT_CONFIG_KEY_0"] = $"http.{repository.RemoteUrl}.extraheader";
                environment["GIT_CONFIG_VALUE_0"] = "Authorization: " + repository.GitAuthorization;
            }

            var sfp = new SfpWorkspace(context, workspace, environment);
            if (repository is not null)
            {
                sfp._secrets.AddRange([repository.Token, repository.GitAuthorization, repository.GitAuthorization.Split(' ')[^1]]);
            }

            sfp._secrets.AddRange(registry.Secrets);
            await registry.WriteNpmrcAsync(sfp.Home, PackageRegistryRole.Reader, context.CancellationToken);
            foreach (var (name, value) in registry.Environment(sfp.Home, new Dictionary<string, string?>()))
            {
                sfp._environment[name] = value;
            }

            return sfp;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The commit's files as a git repository on <paramref name="branch"/> with <c>origin</c> = the repository: the
    /// provider's archive of <paramref name="head"/> committed on top of <paramref name="baseCommit"/>'s (when given),
    /// and git told that these commits are the provider's (replace refs), so sfp's <c>git</c> calls — HEAD, merge-base,
    /// diff, the artifact's source version — see the real commit ids without a clone of the repository's history.
    /// </summary>
    public async Task CheckoutAsync(RepositoryConnection repository, string head, string? baseCommit, string branch)
    {
        var cancellationToken = _context.CancellationToken;
        await GitAsync("init", "-q");
        await GitAsync("symbolic-ref", "HEAD", $"refs/heads/{branch}");
        await GitAsync("remote", "add", "origin", repository.RemoteUrl);

        string? parent = null;
        var size = 0L;
        foreach (var sha in baseCommit is null || baseCommit == head ? new[] { head } : [baseCommit, head])
        {
            if (!CommitId().IsMatch(sha))
            {
                throw new NonRetryableStepException($"'{sha}' is not a git commit id (40 hexadecimal digits).");
            }

            ClearSource();
            size = await repository.DownloadSourceAsync(sha, Source, cancellationToken);
            await GitAsync("add", "-A", "-f");
            var tree = await GitAsync("write-tree");
            var commit = parent is null
                ? await GitAsync("commit-tree", tree, "-m", $"{repository.FullName}@{sha}")
                : await GitAsync("commit-tree", tree, "-p", parent, "-m", $"{repository.FullName}@{sha}");
            await GitAsync("update-ref", $"refs/replace/{sha}", commit);
            parent = sha;
        }

        await GitAsync("update-ref", $"refs/heads/{branch}", head);
        await _context.LogAsync($"checked out {repository.FullName}@{head} ({size} bytes) as branch {branch}"
            + (baseCommit is null || baseCommit == head ? "" : $", on top of {baseCommit}"));
    }

    /// <summary>
    /// Logs the org of <paramref name="credential"/> into the workspace's auth store as <paramref name="alias"/>:
    /// <c>sfp org login url</c> for an sfdx auth URL (from a file of the workspace, deleted right after), the JWT
    /// bearer flow through the sfp install's <c>@salesforce/core</c> for a <c>salesforce-jwt</c> integration (its key
    /// file stays in the workspace, so the session can be renewed).
    /// </summary>
    public async Task LoginAsync(string alias, SalesforceOrgCredential credential)
    {
        var lines = credential.Secret.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        _secrets.Add(credential.Secret);
        _secrets.AddRange(lines.Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)));
        if (SalesforceAuthUrl.TryParse(credential.Secret.Trim(), out var authUrl))
        {
            _secrets.AddRange(new[] { authUrl!.RefreshToken, authUrl.ClientSecret }.Where(s => s.Length >= 8));
        }

        ProcessResult result;
        switch (credential.Kind)
        {
            case IntegrationKinds.SalesforceAuthUrl:
                var file = await WriteSecretFileAsync($"{alias}.url", credential.Secret.Trim());
                try
                {
                    result = (await RunAsync(SfpCommands.OrgLoginUrl(file, alias))).Result;
                }
                finally
                {
                    File.Delete(file);
                }

                break;
            case IntegrationKinds.SalesforceJwt:
                var key = await WriteSecretFileAsync($"{alias}.key", credential.Secret);
                var script = Path.Combine(_auth, JwtLoginScript);
                await using (var resource = typeof(SfpWorkspace).Assembly.GetManifestResourceStream(JwtLoginScript)!)
                await using (var target = File.Create(script))
                {
                    await resource.CopyToAsync(target, _context.CancellationToken);
                }

                string[] arguments =
                [
                    script, "--username", credential.Username ?? "", "--client-id", credential.ConsumerKey ?? "",
                    "--jwt-key-file", key, "--instance-url", credential.LoginUrl ?? "", "--alias", alias,
                ];
                result = await RunLoggedAsync("node", arguments, "$ node " + string.Join(' ', arguments.Select(a => ProcessRunner.MaskSecrets(a, _secrets))),
                    new Dictionary<string, string?> { ["NODE_PATH"] = _cli.NodeModules });
                break;
            default:
                throw new NonRetryableStepException($"{credential.Kind} is not a Salesforce login.");
        }

        if (!result.Succeeded)
        {
            throw new SfpLoginException(
                $"Logging {alias} in with the {credential.Kind} integration '{credential.IntegrationName}' failed: {result.Tail.LastOrDefault(l => l.Trim().Length > 0)}");
        }
    }

    /// <summary>Writes an <c>.npmrc</c> with the <paramref name="role"/>'s credentials and the scope for <c>sfp publish --npmrcpath</c>.</summary>
    public Task<string> WriteNpmrcAsync(PackageRegistryRole role, string scope) =>
        _context.Services.GetRequiredService<PackageRegistry>()
            .WriteNpmrcAsync(_auth, role, _context.CancellationToken, scope, $"{role.ToString().ToLowerInvariant()}.npmrc");

    /// <summary>
    /// Runs <paramref name="commandLine"/> in <see cref="Source"/> (with <paramref name="program"/> in place of the
    /// installed sfp, when configured); the command line is logged first, as its own line. Returns the result and its
    /// last 20 lines.
    /// </summary>
    public async Task<(ProcessResult Result, string Tail)> RunAsync(SfpCommandLine commandLine, string? program = null)
    {
        var result = await RunLoggedAsync(program ?? _cli.Executable, commandLine.Arguments, "$ " + commandLine.Display(_secrets), null);
        return (result, string.Join('\n', result.Tail.TakeLast(20)));
    }

    public void Dispose() => _workspace.Dispose();

    private async Task<ProcessResult> RunLoggedAsync(string program, IReadOnlyList<string> arguments, string logged, IReadOnlyDictionary<string, string?>? extra)
    {
        await _context.LogAsync(logged);
        var environment = new Dictionary<string, string?>(_environment);
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return await _runner.RunAsync(
            new ProcessRequest(program, arguments) { WorkingDirectory = Source, Environment = environment, Secrets = _secrets },
            _context.LogAsync, _context.CancellationToken);
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var output = new StringBuilder();
        var result = await _runner.RunAsync(
            new ProcessRequest("git", arguments) { WorkingDirectory = Source, Environment = _environment, Secrets = _secrets },
            line => { output.AppendLine(line); return Task.CompletedTask; }, _context.CancellationToken);
        return result.Succeeded
            ? output.ToString().Trim()
            : throw new InvalidOperationException($"git {arguments[0]} failed ({result.ExitCode}): {output.ToString().Trim()}");
    }

    private async Task<string> WriteSecretFileAsync(string name, string content)
    {
        var path = Path.Combine(_auth, name);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created readable by the owner alone: never world-readable, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var stream = new FileStream(path, options))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(content), _context.CancellationToken);
        }

        return path;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial System.Text.RegularExpressions.Regex CommitId();

    private void ClearSource()
    {
        foreach (var entry in new DirectoryInfo(Source).EnumerateFileSystemInfos())
        {
            if (entry.Name == ".git")
            {
                continue;
            }

            if (entry is DirectoryInfo directory)
            {
                directory.Delete(recursive: true);
            }
            else
            {
                entry.Delete();
            }
        }
    }
}
