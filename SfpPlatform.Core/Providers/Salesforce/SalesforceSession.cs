namespace SfpPlatform.Core.Providers.Salesforce;

/// <summary>An org session: the access token and the instance it belongs to.</summary>
public sealed record SalesforceSession(string AccessToken, Uri InstanceUrl, DateTimeOffset NominalExpiry)
{
    public override string ToString() => $"SalesforceSession({InstanceUrl}, until {NominalExpiry:O})";
}
