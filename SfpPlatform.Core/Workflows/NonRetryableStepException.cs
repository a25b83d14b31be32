using System.Text.Json;

namespace SfpPlatform.Core.Workflows;

/// <summary>A failure no retry can mend (bad input, a refused permission): the run fails at once.</summary>
public sealed class NonRetryableStepException(string message, Exception? inner = null) : Exception(message, inner);
