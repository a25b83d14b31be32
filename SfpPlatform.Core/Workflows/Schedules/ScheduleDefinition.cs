using System.Text.Json;
using SfpPlatform.Contracts.Schedules;

namespace SfpPlatform.Core.Workflows.Schedules;

/// <summary>A schedule to create: a workflow with an input, on <see cref="Cron"/> (five fields, UTC) or once <see cref="At"/>.</summary>
/// <param name="Owner">One of <see cref="ScheduleOwners"/>.</param>
public sealed record ScheduleDefinition(string Name, string Workflow, JsonElement Input, string? ProjectKey, string? Cron, DateTimeOffset? At, string Owner);
