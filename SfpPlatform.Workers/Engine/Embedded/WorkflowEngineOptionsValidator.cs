using Microsoft.Extensions.Options;

namespace SfpPlatform.Workers.Engine.Embedded;

/// <summary><c>Workflows</c> (the embedded engine): at least one loop, a positive lease and poll interval, a usable worker name.</summary>
public sealed class WorkflowEngineOptionsValidator : IValidateOptions<WorkflowEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkflowEngineOptions options)
    {
        var errors = new List<string>();
        if (options.Loops < 1)
        {
            errors.Add($"{WorkflowEngineOptions.SectionName}:{nameof(WorkflowEngineOptions.Loops)} is {options.Loops}: a worker runs at least one loop.");
        }

        if (options.Lease <= TimeSpan.Zero)
        {
            errors.Add($"{WorkflowEngineOptions.SectionName}:{nameof(WorkflowEngineOptions.Lease)} is {options.Lease}: it must be positive.");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{WorkflowEngineOptions.SectionName}:{nameof(WorkflowEngineOptions.PollInterval)} is {options.PollInterval}: it must be positive.");
        }

        if (options.WorkerName is { Length: 0 or > 200 } workerName)
        {
            errors.Add($"{WorkflowEngineOptions.SectionName}:{nameof(WorkflowEngineOptions.WorkerName)} is {workerName.Length} characters: 1-200.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
