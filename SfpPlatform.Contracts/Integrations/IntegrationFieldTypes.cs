namespace SfpPlatform.Contracts.Integrations;

/// <summary>How a setting's value is written in a request (<see cref="IntegrationSettingField.Type"/>).</summary>
public static class IntegrationFieldTypes
{
    /// <summary>A JSON string.</summary>
    public const string Text = "text";

    /// <summary>A JSON string holding an absolute URL (the Api admits only its allow-listed patterns).</summary>
    public const string Url = "url";

    /// <summary>A positive JSON number.</summary>
    public const string Integer = "integer";

    /// <summary>A JSON array of positive numbers.</summary>
    public const string IntegerList = "integer-list";

    /// <summary>A JSON string, one of the field's choices.</summary>
    public const string Choice = "choice";
}
