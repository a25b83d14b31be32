namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// Which of a hook's listed deliveries to ask GitHub for again, decided per guid (a redelivery is a new attempt with
/// the same guid): only one the platform has not stored, whose latest attempt failed in a way another attempt can
/// mend (<see cref="GitHubHookDelivery.FailedRetryably"/>), that no attempt delivered (2xx), that GitHub can still
/// redeliver (its latest attempt within the window), not asked moments ago and not asked too often already.
/// </summary>
public sealed record RedeliveryPlan(IReadOnlyList<GitHubHookDelivery> Ask, int Expired, long CheckedThroughId)
{
    /// <param name="listed">The attempts listed this pass (newer than <paramref name="checkedThroughId"/>).</param>
    /// <param name="stored">Guids the platform has stored (as <c>X-GitHub-Delivery</c>).</param>
    /// <param name="requests">Earlier requests by guid: when last asked and how often.</param>
    /// <param name="checkedThroughId">Where the previous pass stopped.</param>
    public static RedeliveryPlan Select(
        IReadOnlyCollection<GitHubHookDelivery> listed, IReadOnlySet<string> stored,
        IReadOnlyDictionary<string, (DateTimeOffset LastRequestedAt, int Attempts)> requests,
        DateTimeOffset now, long checkedThroughId)
    {
        var ask = new List<GitHubHookDelivery>();
        var expired = 0;
        long? oldestUnsettled = null;
        foreach (var attempts in listed.GroupBy(d => d.Guid, StringComparer.Ordinal))
        {
            var latest = attempts.MaxBy(d => d.Id)!;
            if (stored.Contains(attempts.Key) || attempts.Any(d => d.Succeeded) || !latest.FailedRetryably)
            {
                continue;
            }

            if (latest.DeliveredAt < now - DeliveryRecovery.Window)
            {
                expired++;
                continue;
            }

            var asked = requests.TryGetValue(attempts.Key, out var request);
            if (asked && request.Attempts >= DeliveryRecovery.MaxAttempts)
            {
                continue;
            }

            // Asked or about to be: settled only once the redelivery is stored, so the next pass looks here again.
            oldestUnsettled = Math.Min(oldestUnsettled ?? long.MaxValue, attempts.Min(d => d.Id));
            if (!asked || now - request.LastRequestedAt >= DeliveryRecovery.AskedRecently)
            {
                ask.Add(latest);
            }
        }

        var newest = listed.Count == 0 ? checkedThroughId : Math.Max(checkedThroughId, listed.Max(d => d.Id));
        return new RedeliveryPlan([.. ask.OrderBy(d => d.Id)], expired, oldestUnsettled is { } id ? Math.Max(checkedThroughId, id - 1) : newest);
    }
}
