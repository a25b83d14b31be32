using System.Text.Json;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Schedules;

namespace SfpPlatform.Workers.Engine.Schedules;

/// <summary>
/// The internal workflow a platform sweep's schedule starts (<see cref="WorkflowNames.PlatformSweep"/>, never
/// routable): one step that runs the <see cref="IPlatformSweep"/> its input names and writes the sweep's line to the
/// run's log, so each pass shows in the runs list like any run.
/// </summary>
public static class PlatformSweepWorkflow
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // A pass that fails is tried once more; after that the next tick runs the sweep again anyway.
    public static WorkflowDefinition Definition { get; } = new(WorkflowNames.PlatformSweep,
    [
        new StepDefinition("sweep", RunAsync)
        {
            Retry = new RetryPolicy(2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)),
            Timeout = TimeSpan.FromHours(1),
        },
    ]);

    /// <summary>The run input naming the sweep.</summary>
    public static JsonElement Input(string sweep) => JsonSerializer.SerializeToElement(new PlatformSweepInput(sweep), JsonOptions);

    private static async Task RunAsync(StepContext context)
    {
        var name = context.Input.Deserialize<PlatformSweepInput>(JsonOptions)?.Sweep
            ?? throw new NonRetryableStepException("The run names no sweep.");
        var sweep = context.Services.GetServices<IPlatformSweep>().FirstOrDefault(s => s.Name == name)
            ?? throw new NonRetryableStepException($"No sweep named '{name}' is registered in this worker.");
        await context.LogAsync($"{name}: {await sweep.RunAsync(context.CancellationToken)}");
    }

    private sealed record PlatformSweepInput(string Sweep);
}
