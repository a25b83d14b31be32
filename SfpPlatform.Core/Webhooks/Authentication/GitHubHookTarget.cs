using System.Globalization;
using System.Text.Json;

namespace SfpPlatform.Core.Webhooks.Authentication;

/// <summary>
/// The hook a GitHub delivery comes from, as a <c>github-webhook</c> integration registers it: <c>integration</c>
/// (a GitHub App; the App id), <c>repository</c> or <c>organization</c> (its numeric id).
/// </summary>
public sealed record GitHubHookTarget(string Type, string Id)
{
    private static readonly (string Property, string Type)[] PayloadOwners = [("repository", "repository"), ("organization", "organization")];

    /// <summary>
    /// For a sender that omits GitHub's installation-target headers: the payload's repository, else its
    /// organisation. Null when the payload names neither (no webhook secret then applies).
    /// </summary>
    public static GitHubHookTarget? FromPayload(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var (property, type) in PayloadOwners)
        {
            if (root.TryGetProperty(property, out var owner) && owner.ValueKind == JsonValueKind.Object
                && owner.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number))
            {
                return new GitHubHookTarget(type, number.ToString(CultureInfo.InvariantCulture));
            }
        }

        return null;
    }
}
