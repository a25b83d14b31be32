namespace SfpPlatform.Core.Credentials;

/// <summary>
/// A secret could not be decrypted because its key is not configured or is not the key it was encrypted with.
/// The vault fails closed: no garbage, no empty value.
/// </summary>
public sealed class CredentialKeyException(string message, Exception? inner = null) : Exception(message, inner);
