namespace SfpPlatform.Core.Workflows;

/// <summary>The workflows the workers run, by the name a run and a routing rule use.</summary>
public static class WorkflowNames
{
    /// <summary>Build and publish artifacts for a push.</summary>
    public const string Build = "build";

    /// <summary>Validate a pull request (and provision its review environment where configured).</summary>
    public const string Validate = "validate";

    /// <summary>Lease a review environment (an org of the project's pool) to a pull request.</summary>
    public const string ReviewEnvironment = "review-env";

    /// <summary>Extend a pull request's review-environment lease.</summary>
    public const string ReviewEnvironmentExtend = "review-env-extend";

    /// <summary>Release a pull request's review environment.</summary>
    public const string ReviewEnvironmentRelease = "review-env-release";

    /// <summary>Tear down the review environment of a closed pull request.</summary>
    public const string ReviewEnvironmentTeardown = "review-env-teardown";

    /// <summary>Answer a <c>/sfp &lt;command&gt;</c> comment on a pull request.</summary>
    public const string Command = "command";

    /// <summary>Deploy a release to an environment: its lock, its approvals, <c>sfp release</c>, the record (parks while it waits).</summary>
    public const string Deploy = "deploy";

    /// <summary>One pass of a platform sweep (lease expiry, retention, delivery recovery), started by its schedule; internal.</summary>
    public const string PlatformSweep = "platform-sweep";

    public static readonly IReadOnlyList<string> All =
        [Build, Validate, ReviewEnvironment, ReviewEnvironmentExtend, ReviewEnvironmentRelease, ReviewEnvironmentTeardown, Command, Deploy, PlatformSweep];

    /// <summary>
    /// The workflows a routing rule (or a user's schedule) may start: all but <see cref="Deploy"/>, whose runs are started
    /// with a deployment record (by a build of a mapped branch, <c>/sfp deploy</c> or the Api), never by an event alone,
    /// and <see cref="PlatformSweep"/>, which only the platform's own schedules start.
    /// </summary>
    public static readonly IReadOnlyList<string> Routable = [.. All.Where(w => w is not (Deploy or PlatformSweep))];
}
