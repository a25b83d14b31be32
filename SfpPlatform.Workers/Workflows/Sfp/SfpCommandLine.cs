using System.Globalization;
using SfpPlatform.Workers.Processes;

namespace SfpPlatform.Workers.Workflows.Sfp;

/// <summary>An sfp command line: the arguments after <c>sfp</c>, never through a shell.</summary>
public sealed record SfpCommandLine(IReadOnlyList<string> Arguments)
{
    /// <summary>The command id as oclif names it (<c>validate:pool</c>): the leading words before the first flag.</summary>
    public string CommandId => string.Join(':', Arguments.TakeWhile(a => !a.StartsWith('-')));

    /// <summary>As a person would type it (quoted where needed), with <paramref name="secrets"/> masked: what the run log shows.</summary>
    public string Display(IReadOnlyList<string> secrets) =>
        ProcessRunner.MaskSecrets(string.Join(' ', Arguments.Prepend(SfpCli.Name).Select(Quote)), secrets);

    public override string ToString() => Display([]);

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@,+%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
