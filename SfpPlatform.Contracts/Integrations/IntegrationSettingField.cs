using System.Globalization;

namespace SfpPlatform.Contracts.Integrations;

/// <summary>One setting of a kind of integration: <c>settings.{Name}</c> in a create or update request.</summary>
/// <param name="Type">One of <see cref="IntegrationFieldTypes"/>: how the value is written in the request's JSON.</param>
/// <param name="Required">Whether a request without it is refused.</param>
/// <param name="Hint">A sentence to show beside the field, if any.</param>
/// <param name="Example">A value of the right form (a form's placeholder).</param>
/// <param name="Choices">The only values accepted (type <see cref="IntegrationFieldTypes.Choice"/>), else null.</param>
public sealed record IntegrationSettingField(
    string Name, string Label, string Type, bool Required, string? Hint, string Example, IReadOnlyList<string>? Choices)
{
    /// <summary>
    /// The JSON value a form's text stands for: a number for an integer, an array of numbers for an integer list
    /// (separated by commas or spaces), else the text; null (left out) when blank. Text that is not of the field's
    /// form is sent as it is, so that the Api's answer names the field.
    /// </summary>
    public object? ValueOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        return Type switch
        {
            IntegrationFieldTypes.Integer when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
            IntegrationFieldTypes.IntegerList when Numbers(trimmed) is { } numbers => numbers,
            _ => trimmed,
        };
    }

    private static long[]? Numbers(string text)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries);
        var numbers = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return numbers;
    }
}
