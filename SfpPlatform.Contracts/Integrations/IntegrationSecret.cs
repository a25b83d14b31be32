namespace SfpPlatform.Contracts.Integrations;

/// <summary>What a kind's secret is (the <c>secret</c> of a create or rotate request).</summary>
/// <param name="Label">What a form calls it: <c>Token</c>, <c>Private key (PEM)</c>, ...</param>
/// <param name="Description">What it is, in a few words: <c>the personal access token</c>, ...</param>
/// <param name="Multiline">Whether it spans lines (a PEM key).</param>
public sealed record IntegrationSecret(string Label, string Description, bool Multiline);
