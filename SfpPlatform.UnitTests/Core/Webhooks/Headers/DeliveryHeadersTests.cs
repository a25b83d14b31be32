using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using SfpPlatform.Core.Webhooks.Headers;

using SfpPlatform.Tests.Infrastructure;

namespace SfpPlatform.UnitTests.Core.Webhooks.Headers;

/// <summary>The providers' delivery headers parsed into typed records, and the errors that name the header at fault.</summary>
public sealed class DeliveryHeadersTests
{
    private static HeaderDictionary GitHub(Action<HeaderDictionary>? change = null)
    {
        var headers = new HeaderDictionary
        {
            ["X-GitHub-Event"] = "pull_request",
            ["X-GitHub-Delivery"] = "72d3162e-cc78-11e3-81ab-4c9367dc0958",
            ["X-GitHub-Hook-ID"] = "292430182",
            ["X-GitHub-Hook-Installation-Target-Type"] = "integration",
            ["X-GitHub-Hook-Installation-Target-ID"] = "79929171",
            ["X-Hub-Signature-256"] = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
            ["User-Agent"] = "GitHub-Hookshot/044aadd",
            ["Content-Type"] = "application/json",
            ["Authorization"] = "Basic c2hvdWxkOm5vdA==",
        };
        change?.Invoke(headers);
        return headers;
    }

    [Fact]
    public void GitHubParse_AllHeaders_ReadsEachIntoItsProperty()
    {
        var headers = GitHubDeliveryHeaders.Parse(GitHub());

        Assert.Null(headers.Error);
        Assert.Equal("pull_request", headers.Event);
        Assert.Equal("72d3162e-cc78-11e3-81ab-4c9367dc0958", headers.DeliveryId);
        Assert.Equal("292430182", headers.HookId);
        Assert.True(headers.NamesTarget);
        Assert.Equal(new("integration", "79929171"), headers.Target);
        Assert.StartsWith("sha256=7571", headers.Signature, StringComparison.Ordinal);
        Assert.Equal("GitHub-Hookshot/044aadd", headers.UserAgent);
    }

    [Theory]
    [InlineData("X-GitHub-Event", "", true)]
    [InlineData("X-GitHub-Delivery", "", true)]
    [InlineData("X-GitHub-Event", "pull request", false)]
    [InlineData("X-GitHub-Event", "pull_request<script>", false)]
    [InlineData("X-GitHub-Delivery", "72d3162e/../../etc", false)]
    public void GitHubParse_BadRequiredHeader_IsNamedInTheError(string header, string value, bool missing)
    {
        var headers = GitHubDeliveryHeaders.Parse(GitHub(h =>
        {
            if (value.Length == 0)
            {
                h.Remove(header);
            }
            else
            {
                h[header] = value;
            }
        }));

        Assert.NotNull(headers.Error);
        Assert.Equal(header, headers.Error.Header);
        Assert.Equal(missing, headers.Error.Missing);
    }

    [Fact]
    public void GitHubParse_EventOverItsLength_IsMalformed()
    {
        var headers = GitHubDeliveryHeaders.Parse(GitHub(h => h["X-GitHub-Event"] = new string('a', 101)));

        Assert.Equal(new DeliveryHeaderError("X-GitHub-Event", false, "1 to 100 letters, digits, '.', '_' or '-'"), headers.Error);
        Assert.Null(GitHubDeliveryHeaders.Parse(GitHub(h => h["X-GitHub-Event"] = new string('a', 100))).Error);
    }

    [Fact]
    public void GitHubParse_DeliveryRepeated_IsMalformed() =>
        Assert.Equal("X-GitHub-Delivery",
            GitHubDeliveryHeaders.Parse(GitHub(h => h["X-GitHub-Delivery"] = new StringValues(["a", "b"]))).Error?.Header);

    [Fact]
    public void GitHubParse_BothMissing_NamesTheEventFirst() =>
        Assert.Equal("X-GitHub-Event", GitHubDeliveryHeaders.Parse(new HeaderDictionary()).Error?.Header);

    [Fact]
    public void GitHubParse_TargetIdNotANumber_NamesATargetButHasNone()
    {
        var headers = GitHubDeliveryHeaders.Parse(GitHub(h => h["X-GitHub-Hook-Installation-Target-ID"] = "12x"));

        Assert.True(headers.NamesTarget);
        Assert.Null(headers.Target);
        Assert.Null(headers.Error);
    }

    [Fact]
    public void GitHubParse_OneTargetHeaderOnly_LeavesTheTargetToThePayload()
    {
        var headers = GitHubDeliveryHeaders.Parse(GitHub(h => h.Remove("X-GitHub-Hook-Installation-Target-Type")));

        Assert.False(headers.NamesTarget);
        Assert.Null(headers.Target);
    }

    [Fact]
    public void GitHubStoredHeaders_AreTheProviderHeaders_NeverAuthorization_AndClipped()
    {
        var stored = GitHubDeliveryHeaders.Parse(GitHub(h => h["User-Agent"] = new string('u', 5000))).ToStoredHeaders();

        Assert.Equal(
            ["X-GitHub-Event", "X-GitHub-Delivery", "X-GitHub-Hook-ID", "X-GitHub-Hook-Installation-Target-Type",
             "X-GitHub-Hook-Installation-Target-ID", "X-Hub-Signature-256", "User-Agent", "Content-Type"],
            stored.Keys);
        Assert.Equal(1000, stored["User-Agent"].Length);
        Assert.Equal("79929171", stored["x-github-hook-installation-target-id"]);
    }

    [Fact]
    public void AzureDevOpsParse_ReadsTheHeaders_AndNeverStoresOrPrintsTheCredentials()
    {
        var raw = new HeaderDictionary
        {
            ["Authorization"] = "Basic aG9va3M6c2VjcmV0",
            ["X-VSS-ActivityId"] = "2c9f7f5e-41b4-4a2f-a0e1-2b6b1a4b2a10",
            ["X-VSS-SubscriptionId"] = "00000000-1111-2222-3333-444444444444",
            ["Content-Type"] = "application/json; charset=utf-8",
        };

        var headers = AzureDevOpsDeliveryHeaders.Parse(raw);
        var stored = headers.ToStoredHeaders();

        Assert.Equal("Basic aG9va3M6c2VjcmV0", headers.Authorization);
        Assert.Equal("2c9f7f5e-41b4-4a2f-a0e1-2b6b1a4b2a10", headers.ActivityId);
        Assert.Equal(["X-VSS-ActivityId", "X-VSS-SubscriptionId", "Content-Type"], stored.Keys);
        Assert.DoesNotContain("aG9va3M6c2VjcmV0", string.Join(" ", stored.Values), StringComparison.Ordinal);
        Assert.DoesNotContain("aG9va3M6c2VjcmV0", headers.ToString(), StringComparison.Ordinal);
    }
}
