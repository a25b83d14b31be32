using System.Security.Cryptography;
using System.Text;
using SfpPlatform.Core.Webhooks.Authentication;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks.Authentication;

/// <summary>GitHub's <c>X-Hub-Signature-256</c>: how a header is read and when a signature matches, without the stack.</summary>
public sealed class GitHubSignatureTests
{
    private static readonly byte[] Secret = "It's a Secret to Everybody"u8.ToArray();
    private static readonly byte[] Body = "Hello, World!"u8.ToArray();

    // GitHub's own documented example: this secret and body give this signature.
    private const string Documented = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Theory]
    [InlineData(null, WebhookAuthenticationResult.MissingSignature)]
    [InlineData("", WebhookAuthenticationResult.MissingSignature)]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData("SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1700", WebhookAuthenticationResult.MalformedSignature)]
    [InlineData(Documented, WebhookAuthenticationResult.Valid)]
    [InlineData("sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17", WebhookAuthenticationResult.Valid)]
    public void TryParse_Header_ReturnsItsResult(string? header, WebhookAuthenticationResult expected)
    {
        var signature = new byte[GitHubSignature.Size];

        Assert.Equal(expected, GitHubSignature.TryParse(header, signature));
    }

    [Fact]
    public void TryParse_WellFormedHeader_WritesTheDigestBytes()
    {
        var signature = new byte[GitHubSignature.Size];

        GitHubSignature.TryParse(Documented, signature);

        Assert.Equal(Convert.FromHexString(Documented["sha256=".Length..]), signature);
    }

    [Fact]
    public void Sign_GitHubsDocumentedExample_GivesTheDocumentedSignature() =>
        Assert.Equal(Documented, GitHubSignature.Sign(Secret, Body));

    [Fact]
    public void Matches_SignatureOfTheBodyUnderTheSecret_IsTrue()
    {
        var signature = Parsed(Documented);

        Assert.True(GitHubSignature.Matches(Secret, Body, signature, new byte[GitHubSignature.Size]));
    }

    [Fact]
    public void Matches_WrongSecret_IsFalse() =>
        Assert.False(GitHubSignature.Matches("It's a secret to everybody"u8, Body, Parsed(Documented), new byte[GitHubSignature.Size]));

    [Fact]
    public void Matches_BodyChangedByOneByte_IsFalse() =>
        Assert.False(GitHubSignature.Matches(Secret, "Hello, World?"u8, Parsed(Documented), new byte[GitHubSignature.Size]));

    [Fact]
    public void Matches_BufferReusedAcrossCandidates_FindsTheMatchingSecret()
    {
        // The authenticator computes every candidate's HMAC into one buffer: a miss must not spoil the next compare.
        var computed = new byte[GitHubSignature.Size];
        var signature = Parsed(Documented);

        Assert.False(GitHubSignature.Matches("another hook's secret"u8, Body, signature, computed));
        Assert.True(GitHubSignature.Matches(Secret, Body, signature, computed));
        Assert.Equal(HMACSHA256.HashData(Secret, Body), computed);
    }

    [Fact]
    public void Matches_RealPayload_AgreesWithAnHmacComputedByHand()
    {
        var body = File.ReadAllBytes(Path.Combine(RepositoryPaths.TestData, "github-webhooks", "pull_request", "opened.payload.json"));
        var secret = Encoding.UTF8.GetBytes("whsec-" + Guid.NewGuid());
        var header = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

        Assert.True(GitHubSignature.Matches(secret, body, Parsed(header), new byte[GitHubSignature.Size]));
        Assert.False(GitHubSignature.Matches(secret, body.AsSpan(0, body.Length - 1), Parsed(header), new byte[GitHubSignature.Size]));
    }

    private static byte[] Parsed(string header)
    {
        var signature = new byte[GitHubSignature.Size];
        Assert.Equal(WebhookAuthenticationResult.Valid, GitHubSignature.TryParse(header, signature));
        return signature;
    }
}
