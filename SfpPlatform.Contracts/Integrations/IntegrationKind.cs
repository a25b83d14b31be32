namespace SfpPlatform.Contracts.Integrations;

/// <summary>
/// One kind of integration as <c>GET /sfp/api/integrations/kinds</c> describes it, from the declaration the Api
/// validates against: its settings, in the order a form shows them, and what its secret is.
/// </summary>
/// <param name="Id">The <c>kind</c> of a create request (<c>github-app</c>, <c>azure-devops-pat</c>, ...).</param>
public sealed record IntegrationKind(string Id, string Label, IReadOnlyList<IntegrationSettingField> Settings, IntegrationSecret Secret)
{
    /// <summary>The <c>settings</c> of a request from a form's texts by setting name: each non-blank one as its field's JSON value.</summary>
    public Dictionary<string, object> SettingsFrom(IReadOnlyDictionary<string, string> texts)
    {
        var settings = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in Settings)
        {
            if (field.ValueOf(texts.GetValueOrDefault(field.Name)) is { } value)
            {
                settings[field.Name] = value;
            }
        }

        return settings;
    }
}
