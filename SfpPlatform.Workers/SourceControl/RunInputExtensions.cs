using System.Text.Json;
using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Workers.SourceControl;

/// <summary>
/// How a workflow step reads the contract's <see cref="RunInput"/>: <c>RunInput.From(context)</c>, and
/// <c>input.PullRequest</c>, each failing the step for good (no retry mends a missing input) where the run lacks it.
/// </summary>
public static class RunInputExtensions
{
    extension(RunInput)
    {
        /// <summary>The input the webhook intake gave the run.</summary>
        public static RunInput From(StepContext context) =>
            context.Input.Deserialize<RunInput>(RunInput.JsonOptions) ?? throw new NonRetryableStepException("The run has no input.");
    }

    extension(RunInput input)
    {
        /// <summary>The pull request the event is about, or a clear failure.</summary>
        public EventPullRequest PullRequest => input.Event.PullRequest
            ?? throw new NonRetryableStepException($"The {input.Event.Name} event names no pull request.");
    }
}
