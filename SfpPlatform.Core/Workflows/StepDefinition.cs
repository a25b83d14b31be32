using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>One step: what it does, how often and how long it may try.</summary>
public sealed record StepDefinition(string Name, Func<StepContext, Task> Run)
{
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);
}
