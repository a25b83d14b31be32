namespace SfpPlatform.Core.Webhooks.Headers;

/// <summary>A provider header a delivery must carry that is missing or not in the provider's format, by name.</summary>
/// <param name="Header">The header's name, as the provider spells it.</param>
/// <param name="Missing">True when the header is absent or empty; false when present but malformed.</param>
/// <param name="Requirement">What a well-formed value is (for the problem's detail).</param>
public sealed record DeliveryHeaderError(string Header, bool Missing, string Requirement);
