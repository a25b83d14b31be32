using SfpPlatform.Core.Workflows;

namespace SfpPlatform.Core.Webhooks.Routing;

/// <summary>The rules a project uses until it stores its own.</summary>
public static class DefaultRoutingRules
{
    public static readonly IReadOnlyList<RoutingRule> Rules =
    [
        new() { Event = "push", Actions = ["pushed"], Branches = [RoutingRules.DefaultBranch, "release/*"], Workflow = WorkflowNames.Build },
        new() { Event = "pull_request", Actions = ["opened", "synchronize", "reopened", "ready_for_review"], Workflow = WorkflowNames.Validate },
        new() { Event = "pull_request", Actions = ["closed"], IncludeDrafts = true, Workflow = WorkflowNames.ReviewEnvironmentTeardown },
        new() { Event = "command", Actions = ["created"], IncludeDrafts = true, Workflow = WorkflowNames.Command },
    ];
}
