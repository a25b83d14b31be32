using System.Text.Json;

namespace SfpPlatform.Contracts.Schedules;

/// <summary>
/// A user schedule: a routable workflow for a project, on a cron expression (five fields, UTC) or once at a time
/// (exactly one of the two).
/// </summary>
/// <param name="Name">Unique; lower-case letters, digits and dashes.</param>
/// <param name="Input">The run's input (a JSON object); an empty object when left out.</param>
public sealed record CreateScheduleRequest(
    string? Name, string? Workflow, string? ProjectKey, string? Cron, DateTimeOffset? At, JsonElement? Input);
