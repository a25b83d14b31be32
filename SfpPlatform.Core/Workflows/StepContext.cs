using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>What a running step sees: its run, input, attempt, services, a log, and the token that stops it.</summary>
public sealed class StepContext(
    Guid runId, string workflow, string step, int attempt, JsonElement input, IServiceProvider services,
    Func<string, Task> log, CancellationToken cancellationToken)
{
    public Guid RunId { get; } = runId;

    public string Workflow { get; } = workflow;

    public string Step { get; } = step;

    /// <summary>1 for the first attempt of this step.</summary>
    public int Attempt { get; } = attempt;

    public JsonElement Input { get; } = input;

    public IServiceProvider Services { get; } = services;

    /// <summary>Cancelled on timeout, on cancellation of the run (or a newer run of its concurrency group), on shutdown.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Appends a line to the run's persisted log.</summary>
    public Task LogAsync(string line) => log(line);
}
