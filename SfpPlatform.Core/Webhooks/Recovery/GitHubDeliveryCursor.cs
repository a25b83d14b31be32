namespace SfpPlatform.Core.Webhooks.Recovery;

/// <summary>
/// Where the last recovery pass over one hook's deliveries stopped, and who holds the hook now: a pass pages GitHub's
/// list (newest first) only down to <see cref="CheckedThroughId"/>, and one pass at a time works on a hook.
/// </summary>
public sealed class GitHubDeliveryCursor
{
    /// <summary><see cref="RecoverableHook.Key"/>.</summary>
    public required string Hook { get; set; }

    /// <summary>Every delivery with this id or a lower one is settled (stored, answered 2xx, or not to be asked).</summary>
    public long CheckedThroughId { get; set; }

    public DateTimeOffset? CheckedAt { get; set; }

    /// <summary>A pass holds the hook until then (a crashed pass frees it when the lease runs out).</summary>
    public DateTimeOffset? LeaseUntil { get; set; }
}
