using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Contracts.Runs;
using SfpPlatform.Core.Data;
using SfpPlatform.Core.Webhooks.Routing;
using SfpPlatform.Core.Workflows;
using SfpPlatform.Core.Workflows.Runs;

namespace SfpPlatform.Core.Webhooks;

/// <summary>What the intake did with a delivery.</summary>
/// <param name="Id">The stored delivery's id (null for a duplicate: the first copy is the one kept).</param>
public sealed record IntakeResult(Guid? Id, string Status, string Reason, string? Workflow, Guid? RunId)
{
    public const string Duplicate = "duplicate";
}
