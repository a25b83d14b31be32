namespace SfpPlatform.Core.Providers;

/// <summary>A short-lived provider token and when the provider said it expires.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>Never the token itself: records end up in logs and debuggers.</summary>
    public override string ToString() => $"AccessToken(expires {ExpiresAt:O})";
}
