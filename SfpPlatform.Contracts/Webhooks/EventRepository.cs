namespace SfpPlatform.Contracts.Webhooks;

/// <summary>The repository an event is about.</summary>
/// <param name="FullName"><c>owner/name</c> on GitHub; <c>project/repository</c> on Azure DevOps.</param>
/// <param name="Id">The provider's id of the repository (a number on GitHub, a GUID on Azure DevOps).</param>
public sealed record EventRepository(string FullName, string? Id, string? CloneUrl, string? DefaultBranch);
