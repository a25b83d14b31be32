using System.Buffers;
using System.Security.Cryptography;

namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>
/// GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the 64 hex digits of the HMAC-SHA256 of the raw body
/// under the webhook secret. Compared in constant time over the exact bytes received.
/// </summary>
public static class GitHubSignature
{
    public const int Size = HMACSHA256.HashSizeInBytes;

    private const string Prefix = "sha256=";

    /// <summary>
    /// Reads the header into <paramref name="signature"/> (<see cref="Size"/> bytes): <see cref="WebhookAuthenticationResult.Valid"/>
    /// when it is well formed, else <see cref="WebhookAuthenticationResult.MissingSignature"/> or
    /// <see cref="WebhookAuthenticationResult.MalformedSignature"/>.
    /// </summary>
    public static WebhookAuthenticationResult TryParse(string? header, Span<byte> signature)
    {
        if (string.IsNullOrEmpty(header))
        {
            return WebhookAuthenticationResult.MissingSignature;
        }

        if (signature.Length != Size || !header.StartsWith(Prefix, StringComparison.Ordinal) || header.Length != Prefix.Length + (2 * Size))
        {
            return WebhookAuthenticationResult.MalformedSignature;
        }

        return Convert.FromHexString(header.AsSpan(Prefix.Length), signature, out _, out var written) == OperationStatus.Done && written == Size
            ? WebhookAuthenticationResult.Valid
            : WebhookAuthenticationResult.MalformedSignature;
    }

    /// <summary>
    /// Whether <paramref name="signature"/> is the HMAC of <paramref name="body"/> under <paramref name="secret"/>;
    /// <paramref name="computed"/> (<see cref="Size"/> bytes) is the caller's buffer, reused across candidate secrets.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, Span<byte> computed)
    {
        HMACSHA256.HashData(secret, body, computed);
        return CryptographicOperations.FixedTimeEquals(computed, signature);
    }

    /// <summary>The header value GitHub would send for <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));
}
