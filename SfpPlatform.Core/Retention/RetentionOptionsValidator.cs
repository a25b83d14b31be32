using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Retention;

/// <summary>
/// <c>Retention</c>: every period at least a day (a typo such as <c>00:00:10</c> would purge nearly everything); batches
/// of 1 to 100,000 rows, paused at most a minute.
/// </summary>
public sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var errors = new List<string>();
        foreach (var (key, value) in new[]
        {
            (nameof(RetentionOptions.Bodies), options.Bodies),
            (nameof(RetentionOptions.Logs), options.Logs),
            (nameof(RetentionOptions.Runs), options.Runs),
            (nameof(RetentionOptions.Deliveries), options.Deliveries),
            (nameof(RetentionOptions.Audit), options.Audit),
        })
        {
            if (value < TimeSpan.FromDays(1))
            {
                errors.Add($"{RetentionOptions.SectionName}:{key} is {value}: keep at least one day (e.g. 90.00:00:00 for 90 days).");
            }
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            errors.Add($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.BatchSize)} is {options.BatchSize}: between 1 and 100000 rows.");
        }

        if (options.BatchPause < TimeSpan.Zero || options.BatchPause > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.BatchPause)} is {options.BatchPause}: between 00:00:00 and 00:01:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
