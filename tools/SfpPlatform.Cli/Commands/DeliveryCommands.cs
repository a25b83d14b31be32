using System.CommandLine;
using System.Globalization;
using System.Net;
using SfpPlatform.Contracts;
using SfpPlatform.Contracts.Webhooks;

namespace SfpPlatform.Cli.Commands;

/// <summary>
/// <c>deliveries replay --since T [--repository R] [--status S]</c>: replays a range of stored deliveries through the Api;
/// <c>deliveries recover</c>: one GitHub delivery-recovery pass now, through the Api.
/// </summary>
public static class DeliveryCommands
{
    private const int PageSize = 200;

    public static Command Create(CommandContext context)
    {
        var since = new Option<string>("--since")
        {
            Description = "Deliveries received since this time: ISO 8601 (2026-12-01T10:00Z) or a span back from now (30m, 6h, 2d).",
            Required = true,
        };
        var repository = new Option<string?>("--repository") { Description = "Only this repository (owner/name, or an Azure DevOps project/repository)." };
        var status = new Option<string?>("--status") { Description = "Only deliveries stored as routed or ignored." };
        status.AcceptOnlyFromAmong("routed", "ignored");
        var dryRun = new Option<bool>("--dry-run") { Description = "Lists the deliveries that would be replayed; replays nothing." };
        var (url, token) = (PlatformApi.UrlOption(), PlatformApi.TokenOption());
        var replay = new Command("replay", "Routes stored deliveries again under the current rules (a new run each, linked to the original), oldest first.")
        {
            since, repository, status, dryRun, url, token,
        };
        replay.SetAction(async (parse, cancellationToken) =>
        {
            var from = ParseSince(parse.GetValue(since)!, DateTimeOffset.UtcNow);
            using var api = PlatformApi.Create(parse.GetValue(url), parse.GetValue(token));
            var deliveries = await ListAsync(api, from, parse.GetValue(repository), parse.GetValue(status), cancellationToken);
            await context.Error.WriteLineAsync($"{deliveries.Count} delivery(ies) since {from:u}");
            int replayed = 0, skipped = 0;
            foreach (var delivery in deliveries)
            {
                var prefix = $"{delivery.ReceivedAt.UtcDateTime:u} {delivery.Id} {delivery.Event}{(delivery.Action is null ? "" : $".{delivery.Action}")} {delivery.Repository}";
                if (parse.GetValue(dryRun))
                {
                    await context.Output.WriteLineAsync($"{prefix}: would replay");
                    continue;
                }

                var (code, run, problem) = await api.PostAsync<DeliveryRun>($"sfp/api/webhooks/deliveries/{delivery.Id}/replay",
                    [HttpStatusCode.Conflict, HttpStatusCode.NotFound], cancellationToken);
                if (run is null)
                {
                    skipped++;
                    await context.Output.WriteLineAsync($"{prefix}: skipped ({(code == HttpStatusCode.NotFound ? "deleted meanwhile" : problem)})");
                    continue;
                }

                replayed++;
                await context.Output.WriteLineAsync($"{prefix}: run {run.Id} ({run.Workflow})");
            }

            await context.Error.WriteLineAsync($"replayed {replayed}, skipped {skipped}");
            return 0;
        });

        var (recoverUrl, recoverToken) = (PlatformApi.UrlOption(), PlatformApi.TokenOption());
        var recover = new Command("recover",
            "Asks GitHub to redeliver every delivery of the last 3 days that failed and that the platform has not stored (one delivery-recovery pass now).")
        {
            recoverUrl, recoverToken,
        };
        recover.SetAction(async (parse, cancellationToken) =>
        {
            using var api = PlatformApi.Create(parse.GetValue(recoverUrl), parse.GetValue(recoverToken));
            var (_, report, _) = await api.PostAsync<DeliveryRecoveryReport>("sfp/api/webhooks/deliveries/recover", [], cancellationToken);
            await context.Output.WriteLineAsync(report!.Summary);
            return 0;
        });

        return new Command("deliveries", "Stored webhook deliveries.") { replay, recover };
    }

    /// <summary>An ISO 8601 time, or a span back from <paramref name="now"/>: a number and m, h or d.</summary>
    public static DateTimeOffset ParseSince(string value, DateTimeOffset now)
    {
        if (value.Length > 1 && char.IsAsciiDigit(value[0]) && value[^1] is 'm' or 'h' or 'd'
            && double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            return now - (value[^1] switch { 'm' => TimeSpan.FromMinutes(amount), 'h' => TimeSpan.FromHours(amount), _ => TimeSpan.FromDays(amount) });
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new CommandException($"--since '{value}' is neither an ISO 8601 time nor a span such as 30m, 6h or 2d.");
    }

    /// <summary>The matching deliveries received since <paramref name="from"/>, oldest first (the Api lists newest first).</summary>
    private static async Task<List<DeliverySummary>> ListAsync(PlatformApi api, DateTimeOffset from, string? repository, string? status, CancellationToken cancellationToken)
    {
        var found = new List<DeliverySummary>();
        var filters = (repository is null ? "" : $"&repository={Uri.EscapeDataString(repository)}") + (status is null ? "" : $"&status={status}");
        for (var page = 0; ; page++)
        {
            var items = await api.GetAsync<PaginatedItems<DeliverySummary>>(
                $"sfp/api/webhooks/deliveries?pageIndex={page}&pageSize={PageSize}{filters}", cancellationToken);
            found.AddRange(items.Data.Where(d => d.ReceivedAt >= from));
            if (items.Data.Count < PageSize || items.Data[^1].ReceivedAt < from)
            {
                found.Reverse();
                return found;
            }
        }
    }
}
