using System.Security.Cryptography;
using System.Text;

namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>
/// The user name and password of an <c>Authorization: Basic</c> header. The decoded bytes are a copy of a secret:
/// <see cref="Dispose"/> zeroes them.
/// </summary>
public sealed class BasicCredentials : IDisposable
{
    private readonly byte[] _decoded;
    private readonly int _passwordStart;
    private readonly int _passwordLength;

    private BasicCredentials(string username, byte[] decoded, int passwordStart, int passwordLength)
    {
        Username = username;
        _decoded = decoded;
        _passwordStart = passwordStart;
        _passwordLength = passwordLength;
    }

    public string Username { get; }

    /// <summary>The password's bytes as sent (UTF-8 by RFC 7617's charset parameter, which the challenge names).</summary>
    public ReadOnlySpan<byte> Password => _decoded.AsSpan(_passwordStart, _passwordLength);

    /// <summary>
    /// Reads <c>Basic base64(user:password)</c>: <see cref="WebhookAuthenticationResult.Valid"/> with the
    /// credentials, <see cref="WebhookAuthenticationResult.MissingBasicAuth"/> without the header, or
    /// <see cref="WebhookAuthenticationResult.MalformedBasicAuth"/> for another scheme, bad base64 or no user name.
    /// </summary>
    public static WebhookAuthenticationResult TryParse(string? authorization, out BasicCredentials? credentials)
    {
        credentials = null;
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return WebhookAuthenticationResult.MissingBasicAuth;
        }

        var header = authorization.AsSpan().Trim();
        var space = header.IndexOf(' ');
        if (space <= 0 || !header[..space].Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return WebhookAuthenticationResult.MissingBasicAuth;
        }

        var encoded = header[(space + 1)..].Trim();
        var decoded = new byte[(encoded.Length * 3 / 4) + 3];
        if (encoded.IsEmpty || !Convert.TryFromBase64Chars(encoded, decoded, out var written))
        {
            CryptographicOperations.ZeroMemory(decoded);
            return WebhookAuthenticationResult.MalformedBasicAuth;
        }

        var colon = decoded.AsSpan(0, written).IndexOf((byte)':');
        if (colon <= 0)
        {
            CryptographicOperations.ZeroMemory(decoded);
            return WebhookAuthenticationResult.MalformedBasicAuth;
        }

        credentials = new BasicCredentials(Encoding.UTF8.GetString(decoded, 0, colon), decoded, colon + 1, written - colon - 1);
        return WebhookAuthenticationResult.Valid;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_decoded);

    /// <summary>Prints the user name only.</summary>
    public override string ToString() => $"{nameof(BasicCredentials)} {{ Username = {Username} }}";
}
