using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using SfpPlatform.Api.Auth;
using SfpPlatform.Api.Webhooks;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Audit;
using SfpPlatform.Core.Audit;

namespace SfpPlatform.Api.Audit;

/// <summary>
/// The audit trail (owners): changes by people and tokens, and every decryption of a stored secret, filtered and paged,
/// or exported as CSV or JSON. Any signed-in caller records their own sign-in (the web app does, after GoTrue's).
/// </summary>
public static class AuditApi
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>The most rows one export returns; narrow the filters (since/until) for more.</summary>
    public const int MaxExportRows = 50_000;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sfp/api/audit").WithTags("Audit");
        group.MapGet("/", ListAsync).WithName("ListAuditEntries").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary("The audit trail, newest first; filter by actor, action, target, outcome and time; paged (owners).");
        group.MapGet("/export", ExportAsync).WithName("ExportAuditEntries").RequireAuthorization(PlatformPolicies.Manage)
            .WithSummary($"The audit trail as CSV (format=csv) or JSON (format=json), the same filters, at most {MaxExportRows} rows (owners).");
        group.MapPost("/sign-ins", RecordSignInAsync).WithName("RecordSignIn").RequireAuthorization(PlatformPolicies.Read)
            .WithSummary("Records the caller's sign-in in the audit trail (any role; the web app calls it after signing a user in).");
        return group;
    }

    /// <summary>The audit trail, newest first.</summary>
    /// <param name="actor">Only entries by this actor (exact).</param>
    /// <param name="action">Only this action, e.g. <c>integration.rotated</c>.</param>
    /// <param name="target">Only this target, e.g. <c>run:{id}</c>.</param>
    /// <param name="outcome">Only this outcome: <c>succeeded</c>, <c>failed</c>, <c>refused</c>, or a decryption's.</param>
    /// <param name="since">From this time (inclusive).</param>
    /// <param name="until">Before this time.</param>
    internal static async Task<Results<Ok<PaginatedItems<AuditEntryResponse>>, ValidationProblem>> ListAsync(
        AuditQuery audit, string? actor, string? action, string? target, string? outcome, DateTimeOffset? since, DateTimeOffset? until,
        int? pageIndex, int? pageSize, CancellationToken cancellationToken)
    {
        var errors = Validate(action, since, until);
        Paging.Validate(pageIndex, pageSize, MaxPageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (index, size) = (pageIndex ?? 0, pageSize ?? DefaultPageSize);
        var (count, page) = await audit.PageAsync(new AuditFilter(actor, action, target, outcome, since, until), index, size, cancellationToken);
        return TypedResults.Ok(new PaginatedItems<AuditEntryResponse>(index, size, count, [.. page.Select(ToResponse)]));
    }

    /// <summary>The audit trail as a file.</summary>
    /// <param name="format"><c>csv</c> (default) or <c>json</c>.</param>
    internal static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAsync(
        AuditQuery audit, string? format, string? actor, string? action, string? target, string? outcome, DateTimeOffset? since, DateTimeOffset? until,
        CancellationToken cancellationToken)
    {
        var errors = Validate(action, since, until);
        if (format is not (null or "csv" or "json"))
        {
            errors["format"] = [$"'{format}' is not an export format: use csv or json."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var rows = await audit.Filtered(new AuditFilter(actor, action, target, outcome, since, until)).Take(MaxExportRows).ToListAsync(cancellationToken);
        var entries = rows.Select(ToResponse).ToList();
        return format == "json"
            ? TypedResults.File(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entries, System.Text.Json.JsonSerializerOptions.Web),
                "application/json", "audit.json")
            : TypedResults.File(Encoding.UTF8.GetBytes(Csv(entries)), "text/csv", "audit.csv");
    }

    internal static async Task<NoContent> RecordSignInAsync(ClaimsPrincipal user, AuditLog audit, CancellationToken cancellationToken)
    {
        var actor = user.ToAuditActor();
        await audit.RecordAsync(actor, AuditActions.SignedIn, $"user:{actor.Name}", detail: "web", cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>RFC 4180: every field quoted, quotes doubled; times in ISO 8601 UTC.</summary>
    public static string Csv(IEnumerable<AuditEntryResponse> entries)
    {
        var csv = new StringBuilder("source,id,at,actor,actor_role,action,target,outcome,detail\r\n");
        foreach (var e in entries)
        {
            string[] fields = [e.Source, e.Id.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                e.Actor, e.ActorRole ?? "", e.Action, e.Target, e.Outcome, e.Detail ?? ""];
            csv.AppendJoin(',', fields.Select(f => $"\"{f.Replace("\"", "\"\"", StringComparison.Ordinal)}\"")).Append("\r\n");
        }

        return csv.ToString();
    }

    private static Dictionary<string, string[]> Validate(string? action, DateTimeOffset? since, DateTimeOffset? until)
    {
        var errors = new Dictionary<string, string[]>();
        if (action is not null && !AuditActions.All.Contains(action))
        {
            errors["action"] = [$"'{action}' is not an audited action: use one of {string.Join(", ", AuditActions.All)}."];
        }

        if (since is not null && until is not null && until <= since)
        {
            errors["until"] = ["until must be later than since."];
        }

        return errors;
    }

    private static AuditEntryResponse ToResponse(AuditRecord r) =>
        new(r.Source, r.Id, r.At, r.Actor, r.ActorRole, r.Action, r.Target, r.Outcome, r.Detail);
}
