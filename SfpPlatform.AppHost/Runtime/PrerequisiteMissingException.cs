namespace SfpPlatform.AppHost.Runtime;

/// <summary>
/// Something the chosen runtime needs is not on this machine. The message is one line that says what to
/// install; the AppHost prints it and exits.
/// </summary>
public sealed class PrerequisiteMissingException(string message) : Exception(message);
