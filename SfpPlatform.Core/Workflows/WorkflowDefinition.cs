using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>A workflow: a name and its steps, run in order. A run resumes after its last completed step.</summary>
public sealed class WorkflowDefinition(string name, IReadOnlyList<StepDefinition> steps)
{
    public string Name { get; } = name;

    public IReadOnlyList<StepDefinition> Steps { get; } = steps.Count > 0
        ? steps
        : throw new ArgumentException("A workflow has at least one step.", nameof(steps));
}
