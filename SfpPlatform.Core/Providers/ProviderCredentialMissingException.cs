namespace SfpPlatform.Core.Providers;

/// <summary>No registered integration can serve the request; the message says what to register.</summary>
public sealed class ProviderCredentialMissingException(string message) : Exception(message);
