using Microsoft.Extensions.Options;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary><c>Schedules</c>: a tick between a second and five minutes; every sweep's cron valid (the error names its field).</summary>
public sealed class ScheduleOptionsValidator : IValidateOptions<ScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, ScheduleOptions options)
    {
        var errors = new List<string>();
        if (options.TickInterval < TimeSpan.FromSeconds(1) || options.TickInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{ScheduleOptions.SectionName}:{nameof(ScheduleOptions.TickInterval)} is {options.TickInterval}: use 00:00:01 to 00:05:00.");
        }

        foreach (var (sweep, cron) in options.Sweeps)
        {
            if (!CronSchedule.TryParse(cron, out _, out var error))
            {
                errors.Add($"{ScheduleOptions.SectionName}:{nameof(ScheduleOptions.Sweeps)}:{sweep} is not a valid cron expression: {error}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
