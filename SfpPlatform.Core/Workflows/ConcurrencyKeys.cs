using System.Security.Cryptography;
using SfpPlatform.Core.Data;
using System.Text;

namespace SfpPlatform.Core.Workflows;

/// <summary>
/// The concurrency keys of runs about one pull request or pushed branch, per workflow: a newer run supersedes only
/// earlier runs of the same workflow for the same pull request or branch (a comment command never cancels a
/// validation). The intake and the workflows that start runs build them here, so both spell them alike.
/// </summary>
public static class ConcurrencyKeys
{
    /// <summary>The length of the <c>concurrency_key</c> column.</summary>
    public const int MaxLength = 300;

    public static string PullRequest(string provider, string repository, long number, string workflow) =>
        Bounded($"{provider}:{repository}:pr:{number}:{workflow}");

    public static string Branch(string provider, string repository, string branch, string workflow) =>
        Bounded($"{provider}:{repository}:branch:{branch}:{workflow}");

    /// <summary>
    /// A key over <see cref="MaxLength"/> (a repository or branch name as long as a provider allows) keeps its start
    /// and ends with the SHA-256 of the whole, so two long keys stay distinct and fit the column.
    /// </summary>
    private static string Bounded(string key)
    {
        if (key.Length <= MaxLength)
        {
            return key;
        }

        var hash = "#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return StoredText.Clip(key, MaxLength - hash.Length) + hash;
    }
}
