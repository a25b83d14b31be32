using System.Text;
using SfpPlatform.Core.Webhooks.Authentication;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks.Authentication;

/// <summary>Azure DevOps' basic auth: how the header is read, and that the decoded password does not outlive it.</summary>
public sealed class BasicCredentialsTests
{
    [Theory]
    [InlineData(null, WebhookAuthenticationResult.MissingBasicAuth)]
    [InlineData("", WebhookAuthenticationResult.MissingBasicAuth)]
    [InlineData("Basic", WebhookAuthenticationResult.MissingBasicAuth)]
    [InlineData("Bearer aG9va3M6c2VjcmV0", WebhookAuthenticationResult.MissingBasicAuth)]
    [InlineData("Basic !!not-base64!!", WebhookAuthenticationResult.MalformedBasicAuth)]
    [InlineData("Basic aG9va3M=", WebhookAuthenticationResult.MalformedBasicAuth)]          // "hooks": no colon
    [InlineData("Basic OnNlY3JldA==", WebhookAuthenticationResult.MalformedBasicAuth)]      // ":secret": no user name
    [InlineData("Basic aG9va3M6c2VjcmV0", WebhookAuthenticationResult.Valid)]                // "hooks:secret"
    [InlineData("basic   aG9va3M6c2VjcmV0  ", WebhookAuthenticationResult.Valid)]
    public void TryParse_Header_ReturnsItsResult(string? header, WebhookAuthenticationResult expected)
    {
        var result = BasicCredentials.TryParse(header, out var credentials);
        using (credentials)
        {
            Assert.Equal(expected, result);
            Assert.Equal(expected == WebhookAuthenticationResult.Valid, credentials is not null);
        }
    }

    [Fact]
    public void TryParse_PasswordWithColons_KeepsEverythingAfterTheFirstColon()
    {
        var header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("hooks-ci:pa:ss:wörd"));

        BasicCredentials.TryParse(header, out var credentials);
        using (credentials)
        {
            Assert.Equal("hooks-ci", credentials!.Username);
            Assert.Equal(Encoding.UTF8.GetBytes("pa:ss:wörd"), credentials.Password.ToArray());
        }
    }

    [Fact]
    public void Dispose_ZeroesThePassword()
    {
        BasicCredentials.TryParse("Basic " + Convert.ToBase64String("hooks:secret"u8.ToArray()), out var credentials);
        var password = credentials!.Password;
        Assert.Equal("secret"u8.ToArray(), password.ToArray());

        credentials.Dispose();

        Assert.All(credentials.Password.ToArray(), b => Assert.Equal(0, b));
        Assert.DoesNotContain("secret", credentials.ToString(), StringComparison.Ordinal);
    }
}
