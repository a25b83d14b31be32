namespace SfpPlatform.Contracts.Webhooks;

/// <summary>What one pass of the GitHub delivery recovery did.</summary>
/// <param name="Hooks">Hooks whose deliveries were listed (GitHub Apps' hooks, repository and organisation hooks).</param>
/// <param name="HooksSkipped">Hooks not listed: another pass held them, no token allowed it, or GitHub refused.</param>
/// <param name="Listed">Delivery attempts read from GitHub (newer than the last pass's, within the 3-day window).</param>
/// <param name="Requested">Redeliveries GitHub accepted (202): failed deliveries the platform had not stored.</param>
/// <param name="Refused">Redeliveries GitHub refused (422, e.g. outside its window).</param>
/// <param name="Failed">Redeliveries that could not be asked just now (asked again next pass).</param>
/// <param name="Expired">Failed deliveries not stored and older than GitHub's 3-day window: not asked, lost.</param>
/// <param name="Summary">The same in one line.</param>
/// <param name="HookFailures">Each hook that was not listed because of an error (no token, GitHub refused it, unreachable), with why.</param>
public sealed record DeliveryRecoveryReport(
    int Hooks, int HooksSkipped, int Listed, int Requested, int Refused, int Failed, int Expired, string Summary,
    IReadOnlyList<DeliveryRecoveryHookFailure> HookFailures);
