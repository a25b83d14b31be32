namespace SfpPlatform.Core.Workflows;

/// <summary>The workflow engines and the setting that chooses one (<c>Workflows:Engine</c>), named once.</summary>
public static class WorkflowEngines
{
    /// <summary>The configuration key the Api and the Workers read.</summary>
    public const string SettingKey = "Workflows:Engine";

    /// <summary>Runs on the platform's Postgres (the default).</summary>
    public const string Embedded = "embedded";

    /// <summary>Runs on Hatchet.</summary>
    public const string Hatchet = "hatchet";
}
