using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace SfpPlatform.Tests.Infrastructure;

/// <summary>
/// Every secret value the tests hand to the platform, so that the leak scans can look for each of them in the
/// database, the logs, the traces and the responses.
/// </summary>
public static class TestSecrets
{
    private static readonly ConcurrentBag<string> Issued = [];

    public static IReadOnlyCollection<string> All => [.. Issued];

    public static string Token(string prefix = "pat") => Remember($"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))}");

    /// <summary>A fresh RSA private key in PEM; its distinctive base64 lines are remembered for the scans.</summary>
    public static string RsaPrivateKeyPem()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportRSAPrivateKeyPem();
        foreach (var line in pem.Split('\n').Where(l => l.Length >= 40 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Remember(line.Trim());
        }

        return pem;
    }

    public static string SalesforceAuthUrl(string host = "login.salesforce.com")
    {
        var clientSecret = Remember("cs" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
        var refreshToken = Remember("5Aep" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        return Remember($"force://PlatformCLI:{clientSecret}:{refreshToken}@{host}");
    }

    public static string Remember(string secret)
    {
        Issued.Add(secret);
        return secret;
    }

    /// <summary>The secrets that occur in <paramref name="text"/>.</summary>
    public static IReadOnlyList<string> FoundIn(string text) => [.. All.Where(s => text.Contains(s, StringComparison.Ordinal))];
}

/// <summary>Every response body the tests' Api clients read, for the end-of-run secret scan.</summary>
public static class RecordedResponses
{
    private static readonly System.Collections.Concurrent.ConcurrentQueue<string> Bodies = new();

    public static int Count => Bodies.Count;

    public static string All => string.Join('\n', Bodies);

    public static void Add(string body) => Bodies.Enqueue(body);
}
